/*
 * Click-to-call: Kommo's phone action (`self.add_action('phone', …)`, kommo-api.md §0) on every phone number
 * in cards and lists. Our api validates the number and the manager's mapping; with the browser softphone
 * ready the call goes out through the Voice SDK, otherwise the provider rings the manager's own phone first.
 * Every failure is shown to the manager (Kommo's error toast + our own alert) — never silent.
 */
export class ClickToCall {
  constructor({ api, texts, softphone, notify, entityOfPage }) {
    this.api = api;
    this.texts = texts;
    this.softphone = softphone;
    this.notify = notify;
    this.entityOfPage = entityOfPage;
    this.busy = false;
  }

  call(rawPhone) {
    const phone = String(rawPhone || '').trim();
    const t = (key, params) => this.texts.t(key, params);
    if (!phone) {
      this.notify.error(t('call.failed_title'), t('call.no_number'));
      return Promise.resolve(false);
    }
    if (this.busy) return Promise.resolve(false);
    this.busy = true;
    const mode = this.softphone && this.softphone.ready() ? 'softphone' : 'callback';
    const body = { phone, mode };
    const entity = this.entityOfPage();
    if (entity) body.entity = entity;
    return new Promise((resolve) => {
      this.api.request('POST', '/widget/calls', body).then(
        (answer) => {
          this.busy = false;
          if (answer.mode === 'softphone') {
            this.softphone.dial(answer.params, { phone: answer.to, name: phone });
            this.notify.info(t('call.calling_title'), t('call.softphone_calling', { phone: answer.to }));
          } else {
            this.notify.info(t('call.calling_title'), t('call.callback_calling', { phone }));
          }
          resolve(true);
        },
        (error) => {
          this.busy = false;
          this.notify.error(t('call.failed_title'), this.describe(error));
          resolve(false);
        },
      );
    });
  }

  describe(error) {
    const t = (key, params) => this.texts.t(key, params);
    const detail = error && error.messages && error.messages.length ? error.messages.join(' ') : '';
    if (!error || !error.status) return t('call.error_network');
    const known = error.code ? t(`call.error_${error.code}`) : '';
    const base = known && known.indexOf('kvoip.') !== 0 ? known : t('call.error_server', { status: error.status });
    return detail ? `${base} ${detail}` : base;
  }
}
