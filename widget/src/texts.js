import { NS, hasOwn } from './util';

/* ------------------------------------------------------------------------------------------------
 * Texts: everything shown comes from i18n/<lang>.json, section "kvoip".
 * --------------------------------------------------------------------------------------------- */
export function Texts(widget) {
  var dict = null;
  try {
    dict = typeof widget.i18n === 'function' ? widget.i18n('kvoip') : null;
  } catch (ignore) {
    dict = null;
  }
  if (!dict && widget.langs && widget.langs.kvoip) dict = widget.langs.kvoip;
  this.dict = dict || {};
}

/** `t('providers.twilio')`, `t('reauth_parked', {count: 2})`; a missing key shows as `kvoip.<key>`. */
Texts.prototype.t = function (key, params) {
  var parts = key.split('.');
  var value = this.dict;
  var i;
  for (i = 0; i < parts.length; i += 1) {
    value = value && typeof value === 'object' ? value[parts[i]] : undefined;
  }
  if (typeof value !== 'string') return NS + '.' + key;
  return value.replace(/\{(\w+)\}/g, function (match, name) {
    return params && hasOwn(params, name) ? String(params[name]) : match;
  });
};

/** A label for a key that may be missing from the locale (e.g. a provider added on the server). */
Texts.prototype.label = function (group, key) {
  var text = this.t(group + '.' + key);
  return text.indexOf(NS + '.') === 0 ? key : text;
};
