/*
 * VoIP Connector: the Kommo widget of the kommo-voip integration (kommo-api.md §9). Built by
 * widget/tools/build.js into the single AMD `script.js` Kommo loads; `jquery` and Kommo's base modal come
 * from Kommo's RequireJS. It never holds Kommo tokens or provider secrets: it only talks to our integration
 * server, authenticated by the X-Auth-Token JWT that Kommo's `self.$authorizedAjax` adds (§1.6).
 *
 * What it does, per location:
 * - settings / advanced_settings: the administrator's settings window and the extensions page;
 * - everywhere (init_once): the live channel (caller ID popups, open the active lead on answer, the
 *   call-result window when a call ends), the softphone behind Kommo's left-menu phone button, and
 *   click-to-call on every phone number (cards and lists).
 */
import $ from 'jquery';
import { ApiClient } from './api-client';
import { CallerPopups } from './calls/caller-popup';
import { ClickToCall } from './calls/click-to-call';
import { CallResultModal } from './calls/result-modal';
import { LiveChannel } from './live/live-channel';
import { ExtensionsPage } from './settings/extensions-page';
import { SettingsPanel } from './settings/settings-panel';
import { SoftphoneEngine } from './softphone/softphone-engine';
import { SoftphoneView } from './softphone/softphone-view';
import { leadership, TabBus } from './tabs';
import { Templates } from './templates';
import { Texts } from './texts';
import { NS, trimSlash } from './util';

const SETTINGS_REFRESH_MS = 5 * 60 * 1000;
const ENTITY_OF_AREA = { ccard: 'contact', lcard: 'lead', comcard: 'company' };

function app() {
  return window.APP || window.AMOCRM || null;
}

function VoipConnectorWidget() {
  const self = this;
  let panel = null;
  let runtime = null;

  const settingsOf = () => (typeof self.get_settings === 'function' && self.get_settings()) || {};
  const serverUrl = () => trimSlash(settingsOf().server_url);
  const system = () => (typeof self.system === 'function' && self.system()) || {};

  /*
   * UNCONFIRMED: whether Kommo injects style.css by itself. amoCRM's widget examples add it from
   * get_settings().path; doing it idempotently is harmless if Kommo already did.
   */
  function ensureStyles() {
    const settings = settingsOf();
    const base = settings.path || (self.params && self.params.path);
    if (!base) return;
    const href = `${base}/style.css${settings.version ? `?v=${encodeURIComponent(settings.version)}` : ''}`;
    let present = false;
    $('link[data-kvoip-style]').each(function () {
      if (this.getAttribute('href') === href) present = true;
    });
    if (!present) $('<link rel="stylesheet" type="text/css">').attr({ href, 'data-kvoip-style': '' }).appendTo('head');
  }

  function openPanel($host) {
    if (!$host || !$host.length) return;
    if (panel) panel.destroy();
    ensureStyles();
    panel = new SettingsPanel(self, $host, { serverUrl: serverUrl() });
    panel.mount();
  }

  /** Kommo's notification toasts when present, and ours (a live region) in every case. */
  function notifier() {
    const toast = (kind, header, text) => {
      let $box = $('[data-kvoip="toasts"]');
      if (!$box.length) $box = $('<div class="kvoip kvoip-toasts" data-kvoip="toasts"></div>').appendTo(document.body);
      const $toast = $('<div class="kvoip-toast" data-kvoip="toast"></div>')
        .addClass(`kvoip-toast--${kind}`)
        .attr({ role: kind === 'error' ? 'alert' : 'status', 'data-kind': kind })
        .append($('<strong class="kvoip-toast__title"></strong>').text(header))
        .append($('<span class="kvoip-toast__text"></span>').text(text));
      $box.append($toast);
      setTimeout(() => $toast.remove(), kind === 'error' ? 12000 : 6000);
    };
    return {
      error(header, text) {
        const notifications = app() && app().notifications;
        if (notifications && typeof notifications.show_message_error === 'function') notifications.show_message_error({ header, text });
        toast('error', header, text);
      },
      info(header, text) {
        const notifications = app() && app().notifications;
        if (notifications && typeof notifications.show_message === 'function') notifications.show_message({ header, text });
        toast('info', header, text);
      },
    };
  }

  /** Opens a Kommo page: through Kommo's router when there is one (UNCONFIRMED API), else a plain navigation. */
  function navigate(url) {
    if (!url) return;
    const target = new URL(url, window.location.href);
    const router = app() && app().router;
    if (router && typeof router.navigate === 'function' && target.origin === window.location.origin) {
      router.navigate(target.pathname + target.search, { trigger: true });
    } else if (router && typeof router.navigate === 'function' && /\.kommo\.com$/.test(target.hostname)) {
      router.navigate(target.pathname + target.search, { trigger: true });
    } else {
      window.location.assign(target.href);
    }
  }

  function entityOfPage() {
    const type = ENTITY_OF_AREA[system().area];
    const card = app() && app().data && app().data.current_card;
    if (!type || !card || !card.id) return null;
    return { type, id: Number(card.id) };
  }

  /** Loads the Twilio Voice SDK shipped in the archive (vendor/), unless the page already has one. */
  function loadDevice() {
    if (window.Twilio && window.Twilio.Device) return Promise.resolve(window.Twilio.Device);
    const base = settingsOf().path || (self.params && self.params.path) || '';
    return new Promise((resolve, reject) => {
      window.require([`${base}/vendor/twilio-voice.min.js`], (Voice) => resolve((Voice && Voice.Device) || (window.Twilio && window.Twilio.Device)), reject);
    });
  }

  function startRuntime() {
    if (runtime || !serverUrl()) return;
    const texts = new Texts(self);
    const api = new ApiClient(self, serverUrl());
    const templates = new Templates(self);
    const notify = notifier();
    const sys = system();
    const userId = Number(sys.amouser_id);
    const scope = `${sys.subdomain || 'kommo'}-${userId}`;
    let accountSettings = {};
    const callers = {};
    const rt = { stopped: false, timers: [] };
    runtime = rt;

    const refreshSettings = () =>
      api.request('GET', '/widget/settings').then(
        (view) => {
          accountSettings = (view && view.settings) || {};
        },
        () => undefined,
      );

    templates.load().then(
      () => {
        if (rt.stopped) return;
        const bus = new TabBus(`kvoip-phone-${scope}`);
        const view = new SoftphoneView({ templates, texts, bus });
        const softphone = {
          ready: () => view.ready(),
          dial: (params, display) => bus.post({ type: 'cmd', cmd: 'dial', params, display }),
        };
        const clickToCall = new ClickToCall({ api, texts, softphone, notify, entityOfPage });
        const results = new CallResultModal({ api, templates, texts, notify });
        const popups = new CallerPopups({
          templates,
          texts,
          navigate,
          userId,
          settings: () => accountSettings,
          onEnded: (event) => results.show(event.callId),
        });
        const live = new LiveChannel(api, {
          onCall: (event) => {
            if (event.phone && event.caller) callers[event.phone] = event.caller;
            popups.handle(event);
          },
        });
        view.onDial = (number) => clickToCall.call(number);
        rt.bus = bus;
        rt.view = view;
        rt.live = live;
        rt.popups = popups;
        rt.clickToCall = clickToCall;
        rt.releaseLeadership = leadership(`kvoip-softphone-${scope}`, () => {
          if (rt.stopped) return;
          rt.engine = new SoftphoneEngine({ api, bus, loadDevice, settings: () => accountSettings, callerInfo: (phone) => callers[phone] || null });
          rt.engine.start();
        });
        view.start();
        refreshSettings().then(() => {
          if (!rt.stopped) live.start();
        });
        rt.timers.push(setInterval(refreshSettings, SETTINGS_REFRESH_MS));
        const widgets = app() && app().widgets;
        if (widgets && typeof widgets.notificationsPhone === 'function') {
          widgets.notificationsPhone({ ns: NS, click: () => view.toggle() });
        }
      },
      (error) => notify.error(texts.t('widget_error_title'), `${texts.t('templates_failed')} ${error && error.message ? error.message : ''}`.trim()),
    );
  }

  function stopRuntime() {
    const rt = runtime;
    runtime = null;
    if (!rt) return;
    rt.stopped = true;
    rt.timers.forEach((timer) => clearInterval(timer));
    if (rt.live) rt.live.stop();
    if (rt.engine) rt.engine.destroy();
    if (rt.releaseLeadership) rt.releaseLeadership();
    if (rt.view) rt.view.destroy();
    if (rt.popups) rt.popups.destroy();
    if (rt.bus) rt.bus.close();
    const widgets = app() && app().widgets;
    if (widgets && typeof widgets.destroyNotificationsPhone === 'function') widgets.destroyNotificationsPhone({ ns: NS });
  }

  /** Kommo's `users` settings field (one extension per Kommo user) is saved to our extension map. */
  function saveUsersField(fields) {
    let users = fields && fields.extensions;
    if (typeof users === 'string') {
      try {
        users = JSON.parse(users);
      } catch (ignore) {
        users = null;
      }
    }
    if (!users || typeof users !== 'object' || !serverUrl()) return Promise.resolve(true);
    const entries = {};
    Object.keys(users).forEach((userId) => {
      const value = String(users[userId] || '').trim();
      if (value) entries[userId] = value;
    });
    const api = new ApiClient(self, serverUrl());
    return new Promise((resolve) => {
      api.request('PUT', '/widget/extensions', { users: entries }).then(
        () => resolve(true),
        (error) => {
          const texts = new Texts(self);
          notifier().error(texts.t('extensions.title'), (error.messages || []).join(' ') || texts.t('extensions.save_failed'));
          resolve(false);
        },
      );
    });
  }

  this.callbacks = {
    render() {
      ensureStyles();
      return true;
    },
    init() {
      // init_once: one live channel and softphone per page, whatever area Kommo shows next.
      if (system().area !== 'settings') startRuntime();
      return true;
    },
    bind_actions() {
      if (typeof self.add_action === 'function') {
        self.add_action('phone', (data) => {
          if (!runtime) startRuntime();
          const call = () => (runtime && runtime.clickToCall ? runtime.clickToCall.call(data && data.value) : null);
          // The templates load once at start; a click that early waits for them.
          if (runtime && runtime.clickToCall) call();
          else setTimeout(call, 500);
        });
      }
      return true;
    },
    /** The widget's settings modal was opened (Settings → Integrations). */
    settings($modalBody) {
      openPanel($modalBody);
      return true;
    },
    /*
     * The advanced-settings page (manifest "advanced_settings"): the settings window and the extensions
     * page. UNCONFIRMED: the container; Kommo examples render into #work-area-<widget code>.
     */
    advancedSettings() {
      const code = settingsOf().widget_code || (self.params && self.params.widget_code);
      const $area = $(`#work-area-${code}`);
      openPanel($area);
      const extensions = new ExtensionsPage(self, $area, { serverUrl: serverUrl() });
      extensions.mount();
      return true;
    },
    /** Kommo's own Save of the manifest fields (server URL, the `users` extensions field). */
    onSave(payload) {
      return saveUsersField(payload && payload.fields);
    },
    destroy() {
      if (panel) panel.destroy();
      panel = null;
    },
    contacts: { selected: () => true },
    leads: { selected: () => true },
    todo: { selected: () => true },
  };
  // Exposed for the host and for diagnostics: stop the live channel and the softphone (widget disabled).
  this.kvoipStop = stopRuntime;
  return this;
}

export default VoipConnectorWidget;
