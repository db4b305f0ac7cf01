import $ from 'jquery';
import { ApiClient } from '../api-client';
import { Texts } from '../texts';
import { NS, copyText, el, formatDate, hasOwn, indexOf, keysOf, trim } from '../util';
import { ProviderStatusBlock } from './provider-status';

var PROVIDER_ORDER = ['twilio', 'generic_pbx', 'ringcentral', 'zenvia'];
var UNKNOWN_NUMBER_POLICIES = ['incoming_lead', 'create_contact', 'ignore'];
var MAX_DELAY_MINUTES = 10080;
var DEFAULT_MISSED_DELAY = 15;

/*
 * Presentation hints per credential field. Which fields exist, and which are required, comes from
 * the server (`providers` in GET /widget/settings); a field unknown here is shown as a secret.
 */
var FIELD_HINTS = {
  accountSid: { secret: false, placeholder: 'AC…' },
  authToken: { secret: true, placeholder: '' },
  apiKeySid: { secret: false, placeholder: 'SK…' },
  apiKeySecret: { secret: true, placeholder: '' },
  clientId: { secret: false, placeholder: '' },
  clientSecret: { secret: true, placeholder: '' },
  jwt: { secret: true, placeholder: '' },
  accessToken: { secret: true, placeholder: '' },
  twimlAppSid: { secret: false, placeholder: 'AP…' },
  callerId: { secret: false, placeholder: '+1 555 010 0000' },
  recordingHost: { secret: false, placeholder: 'pbx.example.com' },
  serverUrl: { secret: false, placeholder: 'https://platform.ringcentral.com' }
};
var SETTINGS_FIELDS = ['defaultResponsibleUserId', 'unknownNumberPolicy', 'incomingLeadPipelineId', 'missedCallTaskDelayMinutes', 'recordingEnabled'];
/* The "Calls" section: switches the api stores per account (shown only when the api knows them). */
var CALL_SWITCHES = ['smartForwardingEnabled', 'kommoCallNotifications', 'openLeadOnAnswer', 'callResultModal', 'autoRedial'];
var RING_SECONDS = { min: 5, max: 120 };

var uid = 0;

/* ------------------------------------------------------------------------------------------------
 * The settings panel.
 * --------------------------------------------------------------------------------------------- */
export function SettingsPanel(widget, $host, options) {
  uid += 1;
  this.id = NS + '-' + uid;
  this.widget = widget;
  this.texts = new Texts(widget);
  this.$host = $host;
  this.options = options || {};
  this.api = null;
  this.account = null;
  this.view = null;
  this.selectedProvider = null;
  this.generatedSecrets = null;
  /* The "Provider status" block of the saved connection, and whether its next load runs the subscription check. */
  this.statusBlock = null;
  this.checkSubscriptionNext = false;
  this.$root = el('div', NS).attr('data-kvoip', 'root');
  this.destroyed = false;
}

SettingsPanel.prototype.t = function (key, params) {
  return this.texts.t(key, params);
};

SettingsPanel.prototype.fieldId = function (name) {
  return this.id + '-' + name;
};

SettingsPanel.prototype.mount = function () {
  this.$host.find('[data-kvoip="root"]').remove();
  this.$host.append(this.$root);
  var baseUrl = this.options.serverUrl;
  if (!baseUrl) {
    this.renderMessage('notice', this.t('no_server_url'), false);
    return;
  }
  this.api = new ApiClient(this.widget, baseUrl);
  this.load(null);
};

SettingsPanel.prototype.destroy = function () {
  this.destroyed = true;
  if (this.statusBlock) this.statusBlock.destroy();
  this.$root.remove();
};

SettingsPanel.prototype.renderMessage = function (kind, text, withRetry) {
  var self = this;
  this.$root.empty().removeAttr('aria-busy');
  var $box = el('div', NS + '__state ' + NS + '__state--' + kind).attr('data-kvoip', 'state-' + kind);
  if (kind === 'error') $box.attr('role', 'alert');
  $box.append(el('p', NS + '__state-text', text));
  if (withRetry) {
    el('button', NS + '__button', this.t('retry'))
      .attr({ type: 'button', 'data-kvoip': 'retry' })
      .on('click', function () {
        self.load(null);
      })
      .appendTo($box);
  }
  this.$root.append($box);
};

SettingsPanel.prototype.renderLoading = function () {
  this.$root.empty().attr('aria-busy', 'true');
  this.$root.append(
    el('div', NS + '__state ' + NS + '__state--loading')
      .attr({ 'data-kvoip': 'loading', role: 'status' })
      .append(el('span', NS + '__spinner').attr('aria-hidden', 'true'))
      .append(el('span', NS + '__state-text', this.t('loading')))
  );
};

/** Fetches account + settings and draws the form; `flash` = {kind, text} shown after drawing. */
SettingsPanel.prototype.load = function (flash) {
  var self = this;
  if (!flash) this.renderLoading();
  var users = $.Deferred();
  this.api.request('GET', '/widget/extensions').then(
    function (answer) {
      users.resolve((answer && answer.users) || []);
    },
    function () {
      users.resolve([]);
    }
  );
  $.when(this.api.request('GET', '/widget/account'), this.api.request('GET', '/widget/settings'), users.promise()).then(
    function (account, view, userList) {
      if (self.destroyed) return;
      self.account = account;
      self.view = view;
      self.users = userList || [];
      self.selectedProvider = view.connection ? view.connection.provider : null;
      self.render();
      if (flash) self.showStatus(flash.kind, flash.text);
    },
    function (error) {
      if (self.destroyed) return;
      self.renderMessage('error', self.t('load_failed') + ' ' + self.describeError(error), error.status !== 401);
    }
  );
};

SettingsPanel.prototype.describeError = function (error) {
  if (!error || !error.status) return this.t('error_network');
  if (error.status === 401) return this.t('error_auth');
  if (error.status === 403) return this.t('error_forbidden');
  if (error.messages && error.messages.length) return error.messages.join(' ');
  return this.t('error_server', { status: error.status });
};

SettingsPanel.prototype.canEdit = function () {
  return Boolean(this.view && this.view.canEdit);
};

SettingsPanel.prototype.render = function () {
  var $root = this.$root;
  $root.empty().removeAttr('aria-busy');
  $root.toggleClass(NS + '--readonly', !this.canEdit());

  var $header = el('div', NS + '__header');
  $header.append(el('h2', NS + '__title', this.t('title')));
  $header.append(el('p', NS + '__lead', this.t('lead')));
  $root.append($header);

  $root.append(this.renderAccountStatus());
  if (!this.canEdit()) {
    $root.append(
      el('div', NS + '__notice')
        .attr({ 'data-kvoip': 'readonly-notice', role: 'note' })
        .append(el('strong', NS + '__notice-title', this.t('readonly_title')))
        .append(el('span', null, ' ' + this.t('readonly_text')))
    );
  }
  if (this.generatedSecrets) $root.append(this.renderGeneratedSecrets(this.generatedSecrets));

  $root.append(this.renderProviderSection());
  $root.append(this.renderDefaultsSection());
  if (this.hasCallSettings()) $root.append(this.renderCallsSection());
  $root.append(this.renderWebhooksSection());
  if (this.canEdit()) $root.append(this.renderFooter());

  if (!this.canEdit()) {
    $root.find('input, select, textarea').not('[data-kvoip-readonly-ok]').prop('disabled', true);
  }
};

SettingsPanel.prototype.renderAccountStatus = function () {
  var account = this.account || {};
  if (account.status === 'needs_reauth') {
    var $banner = el('div', NS + '__banner ' + NS + '__banner--danger').attr({ 'data-kvoip': 'reauth-banner', role: 'alert' });
    $banner.append(el('strong', NS + '__banner-title', this.t('reauth_title')));
    $banner.append(el('p', NS + '__banner-text', this.t('reauth_text')));
    var details = [];
    if (account.parkedTasks) details.push(this.t('reauth_parked', { count: account.parkedTasks }));
    if (account.statusReason) details.push(this.t('reauth_reason', { reason: account.statusReason }));
    if (details.length) $banner.append(el('p', NS + '__banner-meta', details.join(' · ')));
    if (account.reauthorizeUrl) {
      el('a', NS + '__button ' + NS + '__button--danger', this.t('reauth_link'))
        .attr({ href: account.reauthorizeUrl, target: '_blank', rel: 'noopener noreferrer', 'data-kvoip': 'reauth-link' })
        .appendTo($banner);
    }
    return $banner;
  }
  var $status = el('div', NS + '__status').attr('data-kvoip', 'account-status');
  $status.append(el('span', NS + '__dot ' + NS + '__dot--ok').attr('aria-hidden', 'true'));
  $status.append(el('span', null, this.t('status_connected')));
  if (account.subdomain) $status.append(el('span', NS + '__muted', ' · ' + this.t('status_account', { subdomain: account.subdomain })));
  return $status;
};

SettingsPanel.prototype.renderGeneratedSecrets = function (secrets) {
  var self = this;
  var $box = el('div', NS + '__banner ' + NS + '__banner--info').attr({ 'data-kvoip': 'generated-secrets', role: 'status' });
  $box.append(el('strong', NS + '__banner-title', this.t('generated_title')));
  $box.append(el('p', NS + '__banner-text', this.t('generated_text')));
  $.each(keysOf(secrets), function (_index, field) {
    $box.append(self.renderCopyRow('generated-' + field, self.texts.label('fields', field), secrets[field]));
  });
  return $box;
};

/* ---------------------------------------- provider ---------------------------------------- */

SettingsPanel.prototype.providerOrder = function () {
  var providers = (this.view && this.view.providers) || {};
  var order = [];
  $.each(PROVIDER_ORDER, function (_index, name) {
    if (hasOwn(providers, name)) order.push(name);
  });
  $.each(keysOf(providers), function (_index, name) {
    if (indexOf(order, name) < 0) order.push(name);
  });
  return order;
};

SettingsPanel.prototype.renderProviderSection = function () {
  var self = this;
  var connection = this.view.connection;
  var $section = this.section('provider', this.t('section_provider'));

  var $state = el('p', NS + '__connection-state').attr('data-kvoip', 'connection-state');
  if (connection) {
    $state.addClass(NS + '__connection-state--on');
    $state.append(el('span', NS + '__dot ' + NS + '__dot--ok').attr('aria-hidden', 'true'));
    $state.append(el('span', null, this.t('provider_connected', { provider: this.texts.label('providers', connection.provider) })));
    if (connection.updatedAt) {
      $state.append(el('span', NS + '__muted', ' · ' + this.t('provider_updated', { date: formatDate(connection.updatedAt) })));
    }
  } else {
    $state.append(el('span', NS + '__dot').attr('aria-hidden', 'true'));
    $state.append(el('span', null, this.t('provider_none')));
  }
  $section.append($state);

  var $fieldset = el('fieldset', NS + '__fieldset');
  $fieldset.append(el('legend', NS + '__sr-only', this.t('section_provider')));
  var $choices = el('div', NS + '__choices').attr('data-kvoip', 'providers');
  $.each(this.providerOrder(), function (_index, name) {
    var id = self.fieldId('provider-' + name);
    var $input = el('input', NS + '__choice-input').attr({ type: 'radio', name: self.id + '-provider', id: id, value: name });
    $input.prop('checked', name === self.selectedProvider);
    $input.on('change', function () {
      if (!this.checked) return;
      self.selectedProvider = name;
      self.renderCredentials($section.find('[data-kvoip="credentials"]'));
      self.clearStatus();
    });
    var $label = el('label', NS + '__choice').attr('for', id);
    $label.append(el('span', NS + '__choice-name', self.texts.label('providers', name)));
    var description = self.t('provider_descriptions.' + name);
    if (description.indexOf(NS + '.') !== 0) $label.append(el('span', NS + '__choice-description', description));
    $choices.append($input).append($label);
  });
  $fieldset.append($choices);
  $section.append($fieldset);

  var $credentials = el('div', NS + '__credentials').attr('data-kvoip', 'credentials');
  $section.append($credentials);
  this.renderCredentials($credentials);
  this.renderProviderStatus($section, connection);
  return $section;
};

/**
 * The saved connection's health (its own request, after the settings view is drawn). Right after a RingCentral
 * connection was saved, an admin's block also creates/checks the webhook subscription at once: until then
 * RingCentral delivers nothing, and the worker's own check only runs on its schedule.
 */
SettingsPanel.prototype.renderProviderStatus = function ($section, connection) {
  if (this.statusBlock) this.statusBlock.destroy();
  this.statusBlock = null;
  var check = this.checkSubscriptionNext;
  this.checkSubscriptionNext = false;
  if (!connection) return;
  this.statusBlock = new ProviderStatusBlock(this, connection.provider, this.canEdit());
  $section.append(this.statusBlock.$root);
  this.statusBlock.load({ check: check && connection.provider === 'ringcentral' });
};

SettingsPanel.prototype.renderCredentials = function ($container) {
  var self = this;
  var provider = this.selectedProvider;
  var connection = this.view.connection;
  $container.empty();
  if (!provider) {
    $container.append(el('p', NS + '__hint', this.t('provider_choose')));
    return;
  }
  var spec = this.view.providers[provider] || { required: [], optional: [], generated: [] };
  var sameProvider = Boolean(connection && connection.provider === provider);
  var stored = sameProvider ? connection.credentials || {} : {};

  if (connection && !sameProvider) {
    $container.append(
      el('p', NS + '__warning', this.t('provider_switch_warning', {
        provider: this.texts.label('providers', provider),
        current: this.texts.label('providers', connection.provider)
      })).attr('data-kvoip', 'switch-warning')
    );
  }

  var $grid = el('div', NS + '__grid');
  $.each(spec.required || [], function (_index, field) {
    $grid.append(self.renderCredentialField(field, true, stored[field]));
  });
  $.each(spec.optional || [], function (_index, field) {
    $grid.append(self.renderCredentialField(field, false, stored[field]));
  });
  $container.append($grid);

  $.each(spec.generated || [], function (_index, field) {
    var label = self.texts.label('fields', field);
    var text = stored[field]
      ? self.t('generated_stored', { field: label, masked: stored[field] })
      : self.t('generated_info', { field: label });
    $container.append(el('p', NS + '__hint ' + NS + '__hint--block', text).attr('data-kvoip', 'generated-' + field));
  });

  if (sameProvider && this.canEdit()) {
    var id = this.fieldId('rotate');
    var $rotate = el('div', NS + '__check');
    $rotate.append(el('input').attr({ type: 'checkbox', id: id, name: 'rotateKeys', 'data-kvoip': 'rotate-keys' }));
    $rotate.append(el('label', null, this.t('rotate_keys')).attr('for', id));
    $container.append($rotate);
  }
  if (!this.canEdit()) $container.find('input').prop('disabled', true);
};

SettingsPanel.prototype.renderCredentialField = function (field, required, storedMasked) {
  var hint = FIELD_HINTS[field] || { secret: true, placeholder: '' };
  var id = this.fieldId('cred-' + field);
  var $field = el('div', NS + '__field').attr('data-kvoip-field', 'credentials.' + field);
  var $label = el('label', NS + '__label', this.texts.label('fields', field)).attr('for', id);
  if (!required) $label.append(el('span', NS + '__optional', ' (' + this.t('optional') + ')'));
  else if (!storedMasked) $label.append(el('span', NS + '__required', ' *').attr('title', this.t('required')));
  $field.append($label);
  var $input = el('input', NS + '__input').attr({
    id: id,
    name: 'credentials.' + field,
    type: hint.secret ? 'password' : 'text',
    autocomplete: hint.secret ? 'new-password' : 'off',
    spellcheck: 'false',
    'data-kvoip-credential': field,
    placeholder: storedMasked || hint.placeholder,
    'aria-describedby': id + '-hint'
  });
  if (required && !storedMasked) $input.attr('aria-required', 'true');
  $input.val('');
  $field.append($input);
  if (this.canEdit()) {
    $field.append(
      el('p', NS + '__hint', storedMasked ? this.t('credential_stored') : this.t('credential_new')).attr('id', id + '-hint')
    );
  } else {
    $input.removeAttr('aria-describedby');
  }
  return $field;
};

/* ---------------------------------------- defaults ---------------------------------------- */

SettingsPanel.prototype.renderDefaultsSection = function () {
  var self = this;
  var settings = this.view.settings;
  var $section = this.section('defaults', this.t('section_defaults'));

  // Default responsible user (the API offers no user list, so this is the Kommo user id) and the pipeline whose
  // "Incoming leads" stage receives unknown callers (empty = main pipeline).
  $section.append(this.renderIdField('defaultResponsibleUserId', 'responsible', settings.defaultResponsibleUserId));
  $section.append(this.renderIdField('incomingLeadPipelineId', 'pipeline', settings.incomingLeadPipelineId));

  // Unknown-number policy.
  var $policy = el('fieldset', NS + '__fieldset ' + NS + '__field').attr('data-kvoip-field', 'unknownNumberPolicy');
  $policy.append(el('legend', NS + '__label', this.t('unknown_label')));
  $.each(UNKNOWN_NUMBER_POLICIES, function (_index, policy) {
    var id = self.fieldId('policy-' + policy);
    var $option = el('div', NS + '__radio');
    $option.append(
      el('input').attr({ type: 'radio', id: id, name: self.id + '-unknownNumberPolicy', value: policy, 'aria-describedby': id + '-hint' })
        .prop('checked', settings.unknownNumberPolicy === policy)
    );
    var $text = el('label', NS + '__radio-label').attr('for', id);
    $text.append(el('span', NS + '__radio-title', self.t('unknown.' + policy)));
    $text.append(el('span', NS + '__hint', self.t('unknown_descriptions.' + policy)).attr('id', id + '-hint'));
    $option.append($text);
    $policy.append($option);
  });
  $section.append($policy);

  // Missed-call task.
  var missedId = this.fieldId('missed');
  var delayId = this.fieldId('missed-delay');
  var hasTask = settings.missedCallTaskDelayMinutes !== null && settings.missedCallTaskDelayMinutes !== undefined;
  var $missed = el('div', NS + '__field').attr('data-kvoip-field', 'missedCallTaskDelayMinutes');
  var $missedCheck = el('div', NS + '__check');
  var $missedInput = el('input').attr({ type: 'checkbox', id: missedId, name: 'missedCallTaskEnabled' }).prop('checked', hasTask);
  $missedCheck.append($missedInput).append(el('label', null, this.t('missed_label')).attr('for', missedId));
  $missed.append($missedCheck);
  var $delay = el('div', NS + '__subfield');
  $delay.append(el('label', NS + '__label', this.t('missed_delay_label')).attr('for', delayId));
  var $delayInput = el('input', NS + '__input ' + NS + '__input--short')
    .attr({
      id: delayId,
      name: 'missedCallTaskDelayMinutes',
      type: 'number',
      min: 0,
      max: MAX_DELAY_MINUTES,
      step: 1,
      inputmode: 'numeric',
      'aria-describedby': delayId + '-hint'
    })
    .val(hasTask ? String(settings.missedCallTaskDelayMinutes) : String(DEFAULT_MISSED_DELAY))
    .prop('disabled', !hasTask);
  $delay.append($delayInput);
  $delay.append(el('p', NS + '__hint', this.t('missed_delay_hint')).attr('id', delayId + '-hint'));
  $missed.append($delay);
  $missedInput.on('change', function () {
    $delayInput.prop('disabled', !this.checked || !self.canEdit());
  });
  $section.append($missed);

  // Recording.
  var recordingId = this.fieldId('recording');
  var $recording = el('div', NS + '__field ' + NS + '__check ' + NS + '__switch').attr('data-kvoip-field', 'recordingEnabled');
  $recording.append(
    el('input').attr({ type: 'checkbox', role: 'switch', id: recordingId, name: 'recordingEnabled' }).prop('checked', Boolean(settings.recordingEnabled))
  );
  $recording.append(el('label', null, this.t('recording_label')).attr('for', recordingId));
  $section.append($recording);

  return $section;
};

/* ---------------------------------------- calls ---------------------------------------- */

SettingsPanel.prototype.hasCallSettings = function () {
  return Boolean(this.view && this.view.settings && hasOwn(this.view.settings, 'smartForwardingEnabled'));
};

SettingsPanel.prototype.renderSwitch = function (name) {
  var id = this.fieldId('switch-' + name);
  var $field = el('div', NS + '__field ' + NS + '__check ' + NS + '__switch').attr('data-kvoip-field', name);
  $field.append(
    el('input').attr({ type: 'checkbox', role: 'switch', id: id, name: name, 'aria-describedby': id + '-hint' }).prop('checked', Boolean(this.view.settings[name]))
  );
  var $label = el('label', NS + '__radio-label').attr('for', id);
  $label.append(el('span', NS + '__radio-title', this.t('calls.' + name)));
  $label.append(el('span', NS + '__hint', this.t('calls.' + name + '_hint')).attr('id', id + '-hint'));
  $field.append($label);
  return $field;
};

SettingsPanel.prototype.renderCallsSection = function () {
  var self = this;
  var settings = this.view.settings;
  var $section = this.section('calls', this.t('section_calls'));
  $section.append(this.renderSwitch('smartForwardingEnabled'));

  var ringId = this.fieldId('ring-seconds');
  var $ring = el('div', NS + '__field').attr('data-kvoip-field', 'ringSeconds');
  $ring.append(el('label', NS + '__label', this.t('calls.ringSeconds')).attr('for', ringId));
  $ring.append(
    el('input', NS + '__input ' + NS + '__input--short').attr({
      id: ringId, name: 'ringSeconds', type: 'number', min: RING_SECONDS.min, max: RING_SECONDS.max, step: 1, inputmode: 'numeric'
    }).val(String(settings.ringSeconds))
  );
  $section.append($ring);

  // Ring group: who rings when the caller's manager cannot be found (none ticked = every mapped manager).
  var group = settings.defaultRingGroup || [];
  var $group = el('fieldset', NS + '__fieldset ' + NS + '__field').attr({ 'data-kvoip-field': 'defaultRingGroup', 'data-kvoip': 'ring-group' });
  $group.append(el('legend', NS + '__label', this.t('calls.defaultRingGroup')));
  $group.append(el('p', NS + '__hint', this.t('calls.defaultRingGroup_hint')));
  var $choices = el('div', NS + '__user-choices');
  $.each(this.users || [], function (_index, user) {
    if (!user.isActive) return;
    var id = self.fieldId('ring-' + user.id);
    var $option = el('div', NS + '__check');
    $option.append(el('input').attr({ type: 'checkbox', id: id, name: 'defaultRingGroup', value: user.id }).prop('checked', indexOf(group, user.id) >= 0));
    $option.append(el('label', null, user.name).attr('for', id));
    $choices.append($option);
  });
  $group.append($choices);
  $section.append($group);

  $.each(CALL_SWITCHES.slice(1), function (_index, name) {
    $section.append(self.renderSwitch(name));
  });
  return $section;
};

/* ---------------------------------------- webhooks ---------------------------------------- */

SettingsPanel.prototype.renderWebhooksSection = function () {
  var self = this;
  var connection = this.view.connection;
  var $section = this.section('webhooks', this.t('section_webhooks'));
  if (connection && !connection.webhookUrls) {
    $section.append(el('p', NS + '__hint', this.t('webhooks_admin_only')).attr('data-kvoip', 'webhooks-admin-only'));
    return $section;
  }
  if (!connection || !keysOf(connection.webhookUrls).length) {
    $section.append(el('p', NS + '__hint', this.t('webhooks_empty')).attr('data-kvoip', 'webhooks-empty'));
    return $section;
  }
  $section.append(el('p', NS + '__hint ' + NS + '__hint--block', this.t('webhooks_hint')));
  var $list = el('div', NS + '__webhooks').attr('data-kvoip', 'webhooks');
  $.each(keysOf(connection.webhookUrls), function (_index, key) {
    $list.append(self.renderCopyRow('webhook-' + key, self.texts.label('webhook_labels', key), connection.webhookUrls[key]));
  });
  $section.append($list);
  return $section;
};

/** A Kommo id input (empty = none), labelled by `<key>_label` and described by `<key>_hint`. */
SettingsPanel.prototype.renderIdField = function (name, key, value) {
  var id = this.fieldId(key);
  var $field = el('div', NS + '__field').attr('data-kvoip-field', name);
  $field.append(el('label', NS + '__label', this.t(key + '_label')).attr('for', id));
  $field.append(
    el('input', NS + '__input ' + NS + '__input--short')
      .attr({ id: id, name: name, type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': id + '-hint' })
      .val(value === null || value === undefined ? '' : String(value))
  );
  $field.append(el('p', NS + '__hint', this.t(key + '_hint')).attr('id', id + '-hint'));
  return $field;
};

SettingsPanel.prototype.renderCopyRow = function (name, label, value) {
  var self = this;
  var id = this.fieldId(name);
  var $row = el('div', NS + '__copy-row').attr('data-kvoip', name);
  $row.append(el('label', NS + '__label', label).attr('for', id));
  var $line = el('div', NS + '__copy-line');
  var $input = el('input', NS + '__input ' + NS + '__input--mono')
    .attr({ id: id, type: 'text', readonly: 'readonly', spellcheck: 'false', 'data-kvoip-readonly-ok': '' })
    .val(value)
    .on('focus', function () {
      this.select();
    });
  var $button = el('button', NS + '__button ' + NS + '__button--ghost', this.t('copy'))
    .attr({ type: 'button', 'aria-label': this.t('copy_label', { label: label }), 'data-kvoip': 'copy' });
  var $feedback = el('span', NS + '__copy-feedback').attr({ 'aria-live': 'polite', 'data-kvoip': 'copy-feedback' });
  $button.on('click', function () {
    copyText(value, $input[0]).then(
      function () {
        $feedback.text(self.t('copied')).removeClass(NS + '__copy-feedback--error');
      },
      function () {
        $input[0].focus();
        $feedback.text(self.t('copy_failed')).addClass(NS + '__copy-feedback--error');
      }
    );
  });
  $line.append($input).append($button).append($feedback);
  $row.append($line);
  return $row;
};

/* ---------------------------------------- footer / save ---------------------------------------- */

SettingsPanel.prototype.renderFooter = function () {
  var self = this;
  var $footer = el('div', NS + '__footer');
  $footer.append(el('div', NS + '__errors').attr({ 'data-kvoip': 'errors', role: 'alert' }).hide());
  var $bar = el('div', NS + '__actions');
  $bar.append(el('span', NS + '__save-status').attr({ 'data-kvoip': 'save-status', role: 'status', 'aria-live': 'polite' }));
  el('button', NS + '__button ' + NS + '__button--primary', this.t('save'))
    .attr({ type: 'button', 'data-kvoip': 'save' })
    .on('click', function () {
      self.save();
    })
    .appendTo($bar);
  // Enter in a text field saves, like a form would (we avoid a <form>: Kommo's modal may hold one).
  this.$root.off('keydown.' + NS).on('keydown.' + NS, 'input[type="text"], input[type="password"], input[type="number"]', function (event) {
    if (event.key === 'Enter' || event.keyCode === 13) {
      event.preventDefault();
      if (!$(this).is('[readonly]')) self.save();
    }
  });
  $footer.append($bar);
  return $footer;
};

SettingsPanel.prototype.section = function (name, title) {
  var headingId = this.fieldId('section-' + name);
  var $section = el('section', NS + '__section').attr({ 'data-kvoip': 'section-' + name, 'aria-labelledby': headingId });
  $section.append(el('h3', NS + '__section-title', title).attr('id', headingId));
  return $section;
};

SettingsPanel.prototype.showStatus = function (kind, text) {
  this.$root.find('[data-kvoip="save-status"]')
    .removeClass(NS + '__save-status--ok ' + NS + '__save-status--busy ' + NS + '__save-status--muted')
    .addClass(NS + '__save-status--' + kind)
    .text(text);
};

SettingsPanel.prototype.clearStatus = function () {
  this.showStatus('muted', '');
};

SettingsPanel.prototype.clearErrors = function () {
  this.$root.find('.' + NS + '__field-error').remove();
  this.$root.find('[aria-invalid]').removeAttr('aria-invalid');
  this.$root.find('.' + NS + '__field--invalid').removeClass(NS + '__field--invalid');
  this.$root.find('[data-kvoip="errors"]').empty().hide();
};

/**
 * Shows messages next to the field they name (API messages start with the property path, e.g.
 * "credentials.accountSid must be …", "missedCallTaskDelayMinutes must not be …"); the rest in the
 * summary above the Save button.
 */
SettingsPanel.prototype.showErrors = function (title, messages) {
  var self = this;
  var general = [];
  var $first = null;
  $.each(messages, function (_index, message) {
    var $field = self.fieldForMessage(message);
    if (!$field) {
      general.push(message);
      return;
    }
    var errorId = self.fieldId('error-' + _index);
    $field.addClass(NS + '__field--invalid');
    $field.append(el('p', NS + '__field-error', message).attr({ id: errorId, 'data-kvoip': 'field-error' }));
    var $input = $field.find('input').first();
    $input.attr('aria-invalid', 'true');
    var described = $input.attr('aria-describedby');
    $input.attr('aria-describedby', described ? described + ' ' + errorId : errorId);
    if (!$first) $first = $input;
  });
  var $summary = this.$root.find('[data-kvoip="errors"]').empty();
  $summary.append(el('p', NS + '__errors-title', title));
  if (general.length) {
    var $list = el('ul', NS + '__errors-list');
    $.each(general, function (_index, message) {
      $list.append(el('li', null, message));
    });
    $summary.append($list);
  }
  $summary.show();
  if ($first && $first.length) $first[0].focus();
};

SettingsPanel.prototype.fieldForMessage = function (message) {
  var match = /^(credentials\.[A-Za-z0-9_]+|defaultResponsibleUserId|unknownNumberPolicy|incomingLeadPipelineId|missedCallTaskDelayMinutes|recordingEnabled|ringSeconds|defaultRingGroup|smartForwardingEnabled|kommoCallNotifications|openLeadOnAnswer|callResultModal|autoRedial)\b/.exec(message);
  if (!match) return null;
  var $field = this.$root.find('[data-kvoip-field="' + match[1] + '"]');
  return $field.length ? $field.first() : null;
};

/** What changed in the defaults, or {errors} when a value is not acceptable. */
SettingsPanel.prototype.collectSettingsPatch = function () {
  var self = this;
  var current = this.view.settings;
  var $root = this.$root;
  var errors = [];
  var values = {};

  $.each(['defaultResponsibleUserId', 'incomingLeadPipelineId'], function (_index, name) {
    var raw = trim(String($root.find('[name="' + name + '"]').val() || ''));
    if (raw === '') values[name] = null;
    else if (!/^\d+$/.test(raw) || Number(raw) < 1) errors.push(name + ': ' + self.t('invalid_integer'));
    else values[name] = Number(raw);
  });

  var policy = $root.find('input[name="' + this.id + '-unknownNumberPolicy"]:checked').val();
  if (policy) values.unknownNumberPolicy = String(policy);

  if ($root.find('[name="missedCallTaskEnabled"]').prop('checked')) {
    var delayRaw = trim(String($root.find('[name="missedCallTaskDelayMinutes"]').val() || ''));
    if (!/^\d+$/.test(delayRaw)) errors.push('missedCallTaskDelayMinutes: ' + this.t('invalid_integer'));
    else if (Number(delayRaw) > MAX_DELAY_MINUTES) {
      errors.push('missedCallTaskDelayMinutes: ' + this.t('invalid_range', { min: 0, max: MAX_DELAY_MINUTES }));
    } else values.missedCallTaskDelayMinutes = Number(delayRaw);
  } else values.missedCallTaskDelayMinutes = null;

  values.recordingEnabled = Boolean($root.find('[name="recordingEnabled"]').prop('checked'));

  var fields = SETTINGS_FIELDS.slice();
  if (this.hasCallSettings()) {
    $.each(CALL_SWITCHES, function (_index, name) {
      values[name] = Boolean($root.find('[name="' + name + '"]').prop('checked'));
    });
    var ringRaw = trim(String($root.find('[name="ringSeconds"]').val() || ''));
    if (!/^\d+$/.test(ringRaw) || Number(ringRaw) < RING_SECONDS.min || Number(ringRaw) > RING_SECONDS.max) {
      errors.push('ringSeconds: ' + this.t('invalid_range', { min: RING_SECONDS.min, max: RING_SECONDS.max }));
    } else values.ringSeconds = Number(ringRaw);
    var group = [];
    $root.find('[name="defaultRingGroup"]:checked').each(function () {
      group.push(Number($(this).val()));
    });
    values.defaultRingGroup = group;
    fields = fields.concat(CALL_SWITCHES, ['ringSeconds', 'defaultRingGroup']);
  }

  var patch = {};
  var changed = false;
  $.each(fields, function (_index, key) {
    if (hasOwn(values, key) && JSON.stringify(values[key]) !== JSON.stringify(current[key])) {
      patch[key] = values[key];
      changed = true;
    }
  });
  return { errors: errors, patch: changed ? patch : null };
};

/** The PUT body, or null when the connection is unchanged. Only credentials actually typed are sent. */
SettingsPanel.prototype.collectConnection = function () {
  var provider = this.selectedProvider;
  if (!provider) return null;
  var connection = this.view.connection;
  var credentials = {};
  var typed = 0;
  this.$root.find('[data-kvoip-credential]').each(function () {
    var value = String($(this).val() || '');
    if (trim(value) === '') return;
    credentials[$(this).attr('data-kvoip-credential')] = value;
    typed += 1;
  });
  var rotate = Boolean(this.$root.find('[data-kvoip="rotate-keys"]').prop('checked'));
  var changedProvider = !connection || connection.provider !== provider;
  if (!changedProvider && typed === 0 && !rotate) return null;
  var body = { provider: provider, credentials: credentials };
  if (rotate) body.rotateKeys = true;
  return body;
};

SettingsPanel.prototype.save = function () {
  var self = this;
  if (this.saving || !this.canEdit()) return;
  this.clearErrors();
  this.clearStatus();

  var defaults = this.collectSettingsPatch();
  if (defaults.errors.length) {
    this.showErrors(this.t('errors_title'), defaults.errors);
    return;
  }
  var connection = this.collectConnection();
  if (!connection && !defaults.patch) {
    this.showStatus('muted', this.t('nothing_to_save'));
    return;
  }

  this.setSaving(true);
  var generated = null;
  var connectionSaved = false;

  // The connection first: its credentials are what the server most often refuses, and nothing else
  // is written when they are refused.
  var step = connection ? this.api.request('PUT', '/widget/voip-connection', connection) : $.Deferred().resolve(null).promise();
  step
    .then(function (result) {
      if (result) {
        connectionSaved = true;
        self.checkSubscriptionNext = connection.provider === 'ringcentral';
        if (result.generatedSecrets && keysOf(result.generatedSecrets).length) generated = result.generatedSecrets;
      }
      return defaults.patch ? self.api.request('PATCH', '/widget/settings', defaults.patch) : null;
    })
    .then(
      function () {
        if (self.destroyed) return;
        self.setSaving(false);
        self.generatedSecrets = generated;
        self.load({ kind: 'ok', text: self.t('saved') });
      },
      function (error) {
        if (self.destroyed) return;
        self.setSaving(false);
        self.generatedSecrets = generated;
        if (connectionSaved) {
          // The connection changed on the server but the defaults did not: keep what the admin typed
          // in the defaults (to fix it), redraw only the connection parts.
          self.showErrors(self.t('errors_partial'), self.errorMessages(error));
          self.refreshAfterPartialSave();
          return;
        }
        self.showErrors(self.t('errors_title'), self.errorMessages(error));
      }
    );
};

SettingsPanel.prototype.refreshAfterPartialSave = function () {
  var self = this;
  this.api.request('GET', '/widget/settings').then(function (view) {
    if (self.destroyed) return;
    self.view.connection = view.connection;
    self.selectedProvider = view.connection ? view.connection.provider : self.selectedProvider;
    var $provider = self.$root.find('[data-kvoip="section-provider"]');
    var $webhooks = self.$root.find('[data-kvoip="section-webhooks"]');
    $provider.replaceWith(self.renderProviderSection());
    $webhooks.replaceWith(self.renderWebhooksSection());
    if (self.generatedSecrets && !self.$root.find('[data-kvoip="generated-secrets"]').length) {
      self.$root.find('[data-kvoip="section-provider"]').before(self.renderGeneratedSecrets(self.generatedSecrets));
    }
  });
};

SettingsPanel.prototype.errorMessages = function (error) {
  if (error && error.status === 400 && error.messages && error.messages.length) return error.messages;
  return [this.describeError(error)];
};

SettingsPanel.prototype.setSaving = function (saving) {
  this.saving = saving;
  var $button = this.$root.find('[data-kvoip="save"]');
  $button.prop('disabled', saving).attr('aria-busy', saving ? 'true' : 'false');
  $button.toggleClass(NS + '__button--busy', saving);
  if (saving) this.showStatus('busy', this.t('saving'));
  else this.clearStatus();
};
