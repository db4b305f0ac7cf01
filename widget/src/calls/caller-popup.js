import $ from 'jquery';
import { claimOnce } from '../tabs';

/*
 * Caller ID: the popup a manager sees when a call rings for them, fed by the live channel. Exactly one
 * popup per call per manager, even with several Kommo tabs open: the visible tab claims the call first,
 * hidden tabs only if no visible tab did (claimOnce). The same tab follows the call: answered (optionally
 * opening the active lead's card), ended (the call-result window, when enabled).
 */
const HIDDEN_TAB_DELAY_MS = 400;
const ENDED_POPUP_MS = 4000;
/* Managers who were rung but did not answer get no `ended`: their ringing popup closes by itself. */
const UNANSWERED_POPUP_MS = 90000;

export class CallerPopups {
  constructor({ templates, texts, navigate, onEnded, settings, userId }) {
    this.templates = templates;
    this.texts = texts;
    this.navigate = navigate;
    this.onEnded = onEnded;
    this.settings = settings;
    this.userId = userId;
    this.mine = {};
    this.$container = null;
  }

  container() {
    if (!this.$container || !document.body.contains(this.$container[0])) {
      this.$container = $('<div class="kvoip kvoip-popups" data-kvoip="popups" aria-live="assertive"></div>').appendTo(document.body);
    }
    return this.$container;
  }

  destroy() {
    if (this.$container) this.$container.remove();
    this.$container = null;
  }

  /** Hidden tabs wait a moment so that the tab the manager is looking at wins the claim. */
  claim(key) {
    const delay = document.visibilityState === 'hidden' ? HIDDEN_TAB_DELAY_MS : 0;
    return new Promise((resolve) => setTimeout(resolve, delay)).then(() => claimOnce(key));
  }

  handle(event) {
    if (!event || !event.callId) return Promise.resolve();
    const key = `${event.callId}:${this.userId}`;
    if (event.phase === 'ringing') {
      return this.claim(`popup:${key}`).then((won) => {
        if (won) {
          this.mine[event.callId] = { phase: 'ringing' };
          this.draw(event);
          setTimeout(() => {
            if (this.mine[event.callId] && this.mine[event.callId].phase === 'ringing') this.close(event.callId);
          }, UNANSWERED_POPUP_MS);
        }
      });
    }
    if (event.phase === 'answered') {
      if (this.mine[event.callId]) {
        this.mine[event.callId].phase = 'answered';
        this.draw(event);
      }
      const lead = event.caller && event.caller.activeLead;
      if (!lead || !this.settings().openLeadOnAnswer || event.managerUserId !== this.userId) return Promise.resolve();
      return this.claim(`open:${key}`).then((won) => {
        if (won) this.navigate(lead.url);
      });
    }
    if (event.phase === 'ended') {
      if (this.mine[event.callId]) {
        this.draw(event);
        setTimeout(() => this.close(event.callId), ENDED_POPUP_MS);
      }
      if (!this.settings().callResultModal || event.managerUserId !== this.userId) return Promise.resolve();
      return this.claim(`result:${key}`).then((won) => {
        if (won) this.onEnded(event);
      });
    }
    return Promise.resolve();
  }

  view(event) {
    const t = (key, params) => this.texts.t(key, params);
    const caller = event.caller || {};
    const entity = caller.entity;
    const phaseLabel =
      event.phase === 'ringing'
        ? t(event.direction === 'outbound' ? 'popup.outgoing' : 'popup.incoming')
        : t(event.phase === 'answered' ? 'popup.answered' : 'popup.ended');
    return {
      callId: event.callId,
      phase: event.phase,
      phaseLabel,
      name: caller.name || (caller.unknown ? t('popup.unknown') : event.phone),
      phone: event.phone,
      entity: entity ? { url: entity.url, name: entity.name || `#${entity.id}`, typeLabel: t(`popup.entity_${entity.type}`) } : null,
      activeLead: caller.activeLead ? { url: caller.activeLead.url, name: caller.activeLead.name || `#${caller.activeLead.id}` } : null,
      unknown: Boolean(caller.unknown),
      createContactUrl: caller.createContactUrl,
      incomingLeadUrl: caller.incomingLead && caller.incomingLead.url,
      texts: {
        close: t('popup.close'),
        activeLead: t('popup.active_lead'),
        unknownHint: t('popup.unknown_hint'),
        createContact: t('popup.create_contact'),
        incomingLead: t('popup.incoming_lead'),
      },
    };
  }

  draw(event) {
    const $popup = $(this.templates.render('caller-popup', this.view(event)));
    $popup.find('[data-kvoip="popup-close"]').on('click', () => this.close(event.callId));
    $popup.on('keydown', (e) => {
      if (e.key === 'Escape') this.close(event.callId);
    });
    // Links inside Kommo open in the same tab, through Kommo's router when it has one.
    $popup.find('a.kvoip-popup__link').on('click', (e) => {
      e.preventDefault();
      this.navigate(e.currentTarget.getAttribute('href'));
    });
    const $existing = this.container().find(`[data-call-id="${cssEscape(event.callId)}"]`);
    if ($existing.length) $existing.replaceWith($popup);
    else this.container().append($popup);
  }

  close(callId) {
    this.container().find(`[data-call-id="${cssEscape(callId)}"]`).remove();
  }
}

function cssEscape(value) {
  return String(value).replace(/["\\]/g, '\\$&');
}
