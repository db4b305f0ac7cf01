import $ from 'jquery';
import { ApiClient } from '../api-client';
import { Texts } from '../texts';
import { NS, el } from '../util';

/*
 * "Assign extensions to managers" (advanced settings page): which VoIP identity rings which Kommo user —
 * an extension, a phone number, a SIP URI or a softphone (Twilio client) identity; several per user,
 * separated by commas. Shows the drift the api finds: mapped users who are inactive, identities mapped
 * twice, identities seen in calls but mapped to nobody. Admins edit; others read.
 */
export class ExtensionsPage {
  constructor(widget, $host, options) {
    this.widget = widget;
    this.$host = $host;
    this.texts = new Texts(widget);
    this.api = options.serverUrl ? new ApiClient(widget, options.serverUrl) : null;
    this.$root = el('section', `${NS} ${NS}-extensions`).attr({ 'data-kvoip': 'extensions', 'aria-labelledby': `${NS}-extensions-title` });
    this.data = null;
  }

  t(key, params) {
    return this.texts.t(key, params);
  }

  mount() {
    this.$host.find('[data-kvoip="extensions"]').remove();
    this.$host.append(this.$root);
    if (!this.api) return;
    this.load(null);
  }

  load(flash) {
    this.$root.attr('aria-busy', 'true');
    $.when(this.api.request('GET', '/widget/extensions'), this.providerIdentities()).then(
      (data, provider) => {
        this.data = data;
        this.render(provider);
        if (flash) this.status(flash);
      },
      (error) => {
        this.$root.empty().removeAttr('aria-busy');
        this.$root.append(el('p', `${NS}__state ${NS}__state--error`, `${this.t('extensions.load_failed')} ${(error.messages || []).join(' ')}`).attr('role', 'alert'));
      },
    );
  }

  /** Identities the provider knows (RingCentral extensions…), offered as suggestions; optional. */
  providerIdentities() {
    const deferred = $.Deferred();
    this.api.request('GET', '/widget/extensions/provider').then(
      (answer) => deferred.resolve((answer && answer.items) || []),
      () => deferred.resolve([]),
    );
    return deferred.promise();
  }

  render(providerItems) {
    const data = this.data;
    const canEdit = Boolean(data.canEdit);
    const $root = this.$root.empty().removeAttr('aria-busy');
    $root.append(el('h3', `${NS}__section-title`, this.t('extensions.title')).attr('id', `${NS}-extensions-title`));
    $root.append(el('p', `${NS}__hint`, this.t('extensions.lead')));
    $root.append(this.renderDrift(data.drift));

    const byUser = {};
    (data.extensions || []).forEach((entry) => {
      (byUser[entry.userId] = byUser[entry.userId] || []).push(entry.extension);
    });
    const listId = `${NS}-provider-identities`;
    if (providerItems.length) {
      const $list = el('datalist').attr('id', listId);
      providerItems.forEach((item) => $list.append($('<option></option>').attr('value', item.identity).text(item.name || item.identity)));
      $root.append($list);
    }
    const $table = el('table', `${NS}__table`).attr('data-kvoip', 'extensions-table');
    $table.append(el('caption', `${NS}__sr-only`, this.t('extensions.title')));
    $table.append(
      el('thead').append(el('tr').append(el('th', null, this.t('extensions.user')).attr('scope', 'col')).append(el('th', null, this.t('extensions.identities')).attr('scope', 'col'))),
    );
    const $body = el('tbody');
    (data.users || []).forEach((user) => {
      const id = `${NS}-ext-${user.id}`;
      const $row = el('tr').attr({ 'data-kvoip': 'extension-row', 'data-user-id': user.id });
      const $name = el('th', null, user.name).attr('scope', 'row');
      if (!user.isActive) $name.append(el('span', `${NS}__muted`, ` (${this.t('extensions.inactive')})`));
      const $label = el('label', `${NS}__sr-only`, this.t('extensions.identities_of', { name: user.name })).attr('for', id);
      const $input = el('input', `${NS}__input`).attr({
        id,
        type: 'text',
        spellcheck: 'false',
        autocomplete: 'off',
        'data-kvoip': 'extension-input',
        'data-user-id': user.id,
        placeholder: this.t('extensions.placeholder'),
      });
      if (providerItems.length) $input.attr('list', listId);
      $input.val((byUser[user.id] || []).join(', '));
      if (!canEdit) $input.prop('disabled', true);
      $row.append($name).append(el('td').append($label).append($input));
      $body.append($row);
    });
    $table.append($body);
    $root.append($table);
    $root.append(el('div', `${NS}__errors`).attr({ 'data-kvoip': 'extensions-errors', role: 'alert' }).hide());
    const $bar = el('div', `${NS}__actions`);
    $bar.append(el('span', `${NS}__save-status`).attr({ 'data-kvoip': 'extensions-status', role: 'status', 'aria-live': 'polite' }));
    if (canEdit) {
      el('button', `${NS}__button ${NS}__button--primary`, this.t('extensions.save'))
        .attr({ type: 'button', 'data-kvoip': 'extensions-save' })
        .on('click', () => this.save())
        .appendTo($bar);
    } else {
      $bar.append(el('span', `${NS}__muted`, this.t('readonly_text')));
    }
    $root.append($bar);
  }

  renderDrift(drift) {
    const items = [];
    if (drift) {
      (drift.inactiveUsers || []).forEach((entry) => items.push(this.t('extensions.drift_inactive', { name: entry.name || `#${entry.userId}`, extension: entry.extension })));
      (drift.duplicateExtensions || []).forEach((entry) => items.push(this.t('extensions.drift_duplicate', { extension: entry.extension, count: (entry.userIds || []).length })));
      (drift.unmappedSeen || []).forEach((entry) => items.push(this.t('extensions.drift_unmapped', { extension: entry.extension, calls: entry.calls })));
    }
    if (!items.length) return el('p', `${NS}__status`, this.t('extensions.drift_none')).attr('data-kvoip', 'extensions-drift-none');
    const $box = el('div', `${NS}__banner ${NS}__banner--warning`).attr({ 'data-kvoip': 'extensions-drift', role: 'status' });
    $box.append(el('strong', `${NS}__banner-title`, this.t('extensions.drift_title')));
    const $list = el('ul', `${NS}__errors-list`);
    items.forEach((text) => $list.append(el('li', null, text).attr('data-kvoip', 'drift-item')));
    return $box.append($list);
  }

  status({ kind, text }) {
    this.$root.find('[data-kvoip="extensions-status"]').attr('data-kind', kind).text(text);
  }

  save() {
    const extensions = [];
    this.$root.find('[data-kvoip="extension-input"]').each(function () {
      const userId = Number($(this).attr('data-user-id'));
      String($(this).val() || '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .forEach((extension) => extensions.push({ extension, userId }));
    });
    const $errors = this.$root.find('[data-kvoip="extensions-errors"]').empty().hide();
    const $save = this.$root.find('[data-kvoip="extensions-save"]').prop('disabled', true);
    this.status({ kind: 'busy', text: this.t('saving') });
    this.api.request('PUT', '/widget/extensions', { extensions }).then(
      () => this.load({ kind: 'ok', text: this.t('extensions.saved') }),
      (error) => {
        $save.prop('disabled', false);
        this.status({ kind: 'error', text: '' });
        const $list = el('ul', `${NS}__errors-list`);
        (error.messages && error.messages.length ? error.messages : [this.t('extensions.save_failed')]).forEach((message) => $list.append(el('li', null, message)));
        $errors.append(el('p', `${NS}__errors-title`, this.t('errors_title'))).append($list).show();
      },
    );
  }
}
