import { NS, el, formatDate } from '../util';

/*
 * "Provider status" (settings window, under the connected provider): what the api knows about the connection's
 * health, from GET /widget/voip-connection/provider-status — RingCentral's webhook subscription (with a
 * "Check subscription now" button for admins: POST /widget/voip-connection/provider-subscription), the last
 * call-history import, and Zenvia deliveries kept raw because their status is unknown. Loaded after the
 * settings view, so a slow or failing status never holds up the window. Every server string goes in as text.
 */

/** ProviderSubscriptionStatus (libs/domain call-import) → how it is shown. */
const SUBSCRIPTION_TONES = { pending: 'busy', active: 'ok', blacklisted: 'danger', expired: 'warn', error: 'danger' };
/** Providers whose call log the worker imports (ImportCallHistoryUseCase sources). */
const IMPORTED_PROVIDERS = ['twilio', 'ringcentral', 'zenvia'];

export class ProviderStatusBlock {
  /**
   * @param panel the SettingsPanel (its api client, texts, error wording)
   * @param provider the saved connection's provider
   * @param canManage whether the user may check the subscription (admins)
   */
  constructor(panel, provider, canManage) {
    this.panel = panel;
    this.provider = provider;
    this.canManage = Boolean(canManage);
    this.status = null;
    this.checking = false;
    this.destroyed = false;
    this.headingId = panel.fieldId('provider-status-title');
    this.$root = el('div', `${NS}__provider-status`).attr({ 'data-kvoip': 'provider-status', role: 'region', 'aria-labelledby': this.headingId });
    this.$body = el('div', `${NS}__provider-status-body`);
    this.$root.append(el('h4', `${NS}__subsection-title`, this.t('provider_status.title')).attr('id', this.headingId)).append(this.$body);
  }

  t(key, params) {
    return this.panel.t(key, params);
  }

  destroy() {
    this.destroyed = true;
  }

  /** GET the status and draw it; `{check: true}` then runs the subscription check (right after saving RingCentral). */
  load(options) {
    const check = Boolean(options && options.check);
    this.$root.attr('aria-busy', 'true');
    this.$body.empty().append(
      el('p', `${NS}__hint ${NS}__provider-status-loading`, this.t('provider_status.loading')).attr({ 'data-kvoip': 'provider-status-loading', role: 'status' }),
    );
    this.panel.api.request('GET', '/widget/voip-connection/provider-status').then(
      (status) => {
        if (this.destroyed) return;
        this.status = status || {};
        this.render();
        if (check && this.canCheck()) this.check();
      },
      (error) => {
        if (this.destroyed) return;
        this.renderFailure(error);
      },
    );
  }

  canCheck() {
    return this.canManage && this.provider === 'ringcentral';
  }

  renderFailure(error) {
    this.$root.removeAttr('aria-busy');
    this.$body.empty();
    const $box = el('div', `${NS}__provider-status-error`).attr({ 'data-kvoip': 'provider-status-error', role: 'alert' });
    $box.append(el('p', null, `${this.t('provider_status.load_failed')} ${this.panel.describeError(error)}`));
    el('button', `${NS}__button ${NS}__button--ghost`, this.t('retry'))
      .attr({ type: 'button', 'data-kvoip': 'provider-status-retry' })
      .on('click', () => this.load(null))
      .appendTo($box);
    this.$body.append($box);
  }

  render() {
    const status = this.status;
    this.$root.removeAttr('aria-busy');
    this.$body.empty();
    if (this.provider === 'ringcentral') this.$body.append(this.renderSubscription(status.subscription || null));
    this.$body.append(this.renderImport(status.callHistoryImport || null));
    if (this.provider === 'zenvia') this.$body.append(this.renderUnrecognised(Number(status.unrecognisedDeliveries) || 0));
  }

  /* ------------------------------------------------------------ RingCentral subscription */

  renderSubscription(subscription) {
    const $part = el('div', `${NS}__status-part`).attr('data-kvoip', 'subscription');
    $part.append(el('h5', `${NS}__status-part-title`, this.t('provider_status.subscription_title')));
    const $facts = el('div').attr('data-kvoip', 'subscription-facts');
    this.fillSubscription($facts, subscription);
    $part.append($facts);
    if (this.canCheck()) {
      const $actions = el('div', `${NS}__status-actions`);
      el('button', `${NS}__button ${NS}__button--ghost`, this.t('provider_status.check'))
        .attr({ type: 'button', 'data-kvoip': 'subscription-check' })
        .on('click', () => this.check())
        .appendTo($actions);
      $actions.append(el('span', `${NS}__status-progress`).attr({ 'data-kvoip': 'subscription-progress', role: 'status', 'aria-live': 'polite' }));
      $part.append($actions);
      $part.append(el('p', `${NS}__field-error`).attr({ 'data-kvoip': 'subscription-check-error', role: 'alert' }).hide());
    }
    return $part;
  }

  fillSubscription($facts, subscription) {
    $facts.empty();
    if (!subscription) {
      const text = this.canCheck() ? this.t('provider_status.subscription_none_admin') : this.t('provider_status.subscription_none');
      $facts.append(el('p', `${NS}__hint ${NS}__hint--block`, text).attr('data-kvoip', 'subscription-none'));
      return;
    }
    const value = String(subscription.status || '');
    const tone = SUBSCRIPTION_TONES[value] || 'warn';
    const $list = el('dl', `${NS}__facts`);
    const $badge = el('span', `${NS}__badge ${NS}__badge--${tone}`, this.panel.texts.label('provider_status.subscription_states', value))
      .attr({ 'data-kvoip': 'subscription-status', 'data-kvoip-value': value });
    this.fact($list, 'provider_status.subscription_status', $badge);
    this.fact($list, 'provider_status.subscription_expires', subscription.expiresAt ? formatDate(subscription.expiresAt) : this.t('provider_status.never'), 'subscription-expires');
    this.fact($list, 'provider_status.subscription_checked', subscription.checkedAt ? formatDate(subscription.checkedAt) : this.t('provider_status.never'), 'subscription-checked');
    this.fact($list, 'provider_status.subscription_recreated', String(Number(subscription.recreatedCount) || 0), 'subscription-recreated');
    if (subscription.subscriptionId) this.fact($list, 'provider_status.subscription_id', String(subscription.subscriptionId), 'subscription-id');
    if (subscription.error) this.fact($list, 'provider_status.subscription_error', String(subscription.error), 'subscription-error', true);
    $facts.append($list);
    const hint = this.t(`provider_status.subscription_hints.${value}`);
    if (hint.indexOf(`${NS}.`) !== 0) $facts.append(el('p', `${NS}__hint ${NS}__hint--block`, hint).attr('data-kvoip', 'subscription-hint'));
  }

  /** POST the subscription check (create / check / renew / re-create), then show what it found. */
  check() {
    if (this.checking || !this.canCheck()) return;
    const $part = this.$body.find('[data-kvoip="subscription"]');
    const $button = $part.find('[data-kvoip="subscription-check"]');
    const $progress = $part.find('[data-kvoip="subscription-progress"]');
    const $error = $part.find('[data-kvoip="subscription-check-error"]');
    const busy = (on) => {
      this.checking = on;
      $button.prop('disabled', on).attr('aria-busy', on ? 'true' : 'false').toggleClass(`${NS}__button--busy`, on);
    };
    busy(true);
    $error.empty().hide();
    $progress.removeClass(`${NS}__status-progress--ok`).text(this.t('provider_status.checking'));
    this.panel.api.request('POST', '/widget/voip-connection/provider-subscription').then(
      (answer) => {
        if (this.destroyed) return;
        busy(false);
        const subscription = (answer && answer.subscription) || null;
        this.status.subscription = subscription;
        this.fillSubscription($part.find('[data-kvoip="subscription-facts"]'), subscription);
        const label = subscription ? this.panel.texts.label('provider_status.subscription_states', String(subscription.status || '')) : '';
        $progress.addClass(`${NS}__status-progress--ok`).text(this.t('provider_status.checked', { status: label }));
      },
      (error) => {
        if (this.destroyed) return;
        busy(false);
        $progress.text('');
        $error.text(`${this.t('provider_status.check_failed')} ${this.panel.describeError(error)}`).show();
      },
    );
  }

  /* ------------------------------------------------------------ call-history import */

  renderImport(run) {
    const $part = el('div', `${NS}__status-part`).attr('data-kvoip', 'call-import');
    $part.append(el('h5', `${NS}__status-part-title`, this.t('provider_status.import_title')));
    if (IMPORTED_PROVIDERS.indexOf(this.provider) < 0) {
      $part.append(el('p', `${NS}__hint ${NS}__hint--block`, this.t('provider_status.import_unsupported')).attr('data-kvoip', 'call-import-none'));
      return $part;
    }
    if (!run) {
      $part.append(el('p', `${NS}__hint ${NS}__hint--block`, this.t('provider_status.import_none')).attr('data-kvoip', 'call-import-none'));
      return $part;
    }
    const $list = el('dl', `${NS}__facts`);
    this.fact($list, 'provider_status.import_last_run', run.lastRunAt ? formatDate(run.lastRunAt) : this.t('provider_status.never'), 'call-import-last-run');
    this.fact($list, 'provider_status.import_until', run.importedUntil ? formatDate(run.importedUntil) : this.t('provider_status.never'), 'call-import-until');
    if (run.lastReport) this.fact($list, 'provider_status.import_report', this.reportSummary(run.lastReport), 'call-import-report');
    if (run.lastError) this.fact($list, 'provider_status.import_error', String(run.lastError), 'call-import-error', true);
    const minutes = Number(run.intervalMinutes);
    const interval = minutes > 0 ? this.t('provider_status.import_every', { minutes: minutes }) : this.t('provider_status.import_off');
    this.fact($list, 'provider_status.import_interval', interval, 'call-import-interval');
    $part.append($list);
    return $part;
  }

  reportSummary(report) {
    const count = (value) => (typeof value === 'number' && isFinite(value) ? value : 0);
    return this.t('provider_status.import_report_text', {
      seen: count(report.seen),
      backfilled: count(report.backfilled),
      recordings: count(report.recordingsBackfilled),
      known: count(report.alreadyKnown),
      inProgress: count(report.inProgress),
    });
  }

  /* ------------------------------------------------------------ Zenvia */

  renderUnrecognised(count) {
    const $part = el('div', `${NS}__status-part`).attr('data-kvoip', 'unrecognised');
    $part.append(el('h5', `${NS}__status-part-title`, this.t('provider_status.unrecognised_title')));
    const $list = el('dl', `${NS}__facts`);
    this.fact($list, 'provider_status.unrecognised_count', String(count), 'unrecognised-count', count > 0);
    $part.append($list);
    if (count > 0) {
      $part.append(el('p', `${NS}__warning`, this.t('provider_status.unrecognised_hint', { count: count })).attr('data-kvoip', 'unrecognised-hint'));
    }
    return $part;
  }

  /* ------------------------------------------------------------ helpers */

  /** One `<dt>label</dt><dd>value</dd>`; `value` is text (set with .text()) or an element built with el(). */
  fact($list, labelKey, value, name, problem) {
    $list.append(el('dt', `${NS}__fact-label`, this.t(labelKey)));
    const $value = typeof value === 'string' ? el('dd', `${NS}__fact-value`, value) : el('dd', `${NS}__fact-value`).append(value);
    if (name) $value.attr('data-kvoip', name);
    if (problem) $value.addClass(`${NS}__fact-value--problem`);
    $list.append($value);
  }
}
