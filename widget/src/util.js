import $ from 'jquery';

export const NS = 'kvoip';

export function hasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

export function keysOf(object) {
  var keys = [];
  var key;
  for (key in object) {
    if (hasOwn(object, key)) keys.push(key);
  }
  return keys;
}

// jQuery 4 dropped $.isArray / $.trim / $.inArray-style helpers; Kommo's jQuery version is not ours to pick.
export function isArray(value) {
  return Object.prototype.toString.call(value) === '[object Array]';
}

export function trim(value) {
  return String(value).replace(/^\s+|\s+$/g, '');
}

export function indexOf(list, item) {
  var i;
  for (i = 0; i < list.length; i += 1) {
    if (list[i] === item) return i;
  }
  return -1;
}

export function el(tag, className, text) {
  var $node = $(document.createElement(tag));
  if (className) $node.addClass(className);
  if (text !== undefined && text !== null) $node.text(text);
  return $node;
}

/* ------------------------------------------------------------------------------------------------
 * Helpers
 * --------------------------------------------------------------------------------------------- */
export function formatDate(value) {
  var date = new Date(value);
  if (isNaN(date.getTime())) return String(value);
  try {
    return date.toLocaleString();
  } catch (ignore) {
    return date.toISOString();
  }
}

export function copyText(text, input) {
  var deferred = $.Deferred();
  var fallback = function () {
    try {
      input.focus();
      input.select();
      if (document.execCommand && document.execCommand('copy')) deferred.resolve();
      else deferred.reject();
    } catch (ignore) {
      deferred.reject();
    }
  };
  if (window.navigator && navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
    navigator.clipboard.writeText(text).then(function () {
      deferred.resolve();
    }, fallback);
  } else {
    fallback();
  }
  return deferred.promise();
}

export function trimSlash(url) {
  return trim(url || '').replace(/\/+$/, '');
}
