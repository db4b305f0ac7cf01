import $ from 'jquery';
import { isArray } from './util';

/* ------------------------------------------------------------------------------------------------
 * API client: our integration server, through Kommo's $authorizedAjax (adds X-Auth-Token).
 * --------------------------------------------------------------------------------------------- */
export function ApiClient(widget, baseUrl) {
  this.widget = widget;
  this.baseUrl = baseUrl;
}

/** Resolves with the JSON body; rejects with {status, messages[]} (messages from the API's `message`). */
ApiClient.prototype.request = function (method, path, body) {
  var deferred = $.Deferred();
  var options = {
    url: this.baseUrl + path,
    type: method,
    dataType: 'json',
    cache: false,
    timeout: 20000
  };
  if (body !== undefined) {
    options.contentType = 'application/json';
    options.data = JSON.stringify(body);
  }
  var ajax;
  try {
    ajax = this.widget.$authorizedAjax(options);
  } catch (error) {
    return deferred.reject({ status: 0, messages: [], code: null }).promise();
  }
  ajax.done(function (data) {
    deferred.resolve(data);
  }).fail(function (xhr) {
    deferred.reject(toApiError(xhr));
  });
  return deferred.promise();
};

export function toApiError(xhr) {
  var status = xhr && typeof xhr.status === 'number' ? xhr.status : 0;
  var payload = xhr && xhr.responseJSON;
  if (!payload && xhr && typeof xhr.responseText === 'string' && xhr.responseText) {
    try {
      payload = JSON.parse(xhr.responseText);
    } catch (ignore) {
      payload = null;
    }
  }
  var messages = [];
  var message = payload && payload.message;
  if (isArray(message)) {
    messages = $.map(message, function (item) {
      return String(item);
    });
  } else if (typeof message === 'string' && message) {
    messages = [message];
  }
  var code = payload && typeof payload.code === 'string' ? payload.code : null;
  return { status: status, messages: messages, code: code };
}
