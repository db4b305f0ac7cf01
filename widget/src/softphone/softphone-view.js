import $ from 'jquery';
import { claimOnce } from '../tabs';

/*
 * The softphone panel every Kommo tab shows (opened by the left-menu phone button): it draws the engine's
 * state (which may live in another tab) and sends the manager's commands over the TabBus.
 * Keyboard: digits typed in the number field, Enter calls, Escape closes, the keypad is real buttons.
 */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const ACTIVE = ['connecting', 'ringing', 'in-call', 'held', 'reconnecting'];

export class SoftphoneView {
  constructor({ templates, texts, bus }) {
    this.templates = templates;
    this.texts = texts;
    this.bus = bus;
    this.state = { status: 'loading' };
    this.open = false;
    this.number = '';
    this.$root = null;
    this.ticker = null;
    bus.on((message) => {
      if (message && message.type === 'state') this.onState(message.state);
    });
  }

  t(key, params) {
    return this.texts.t(key, params);
  }

  start() {
    this.bus.post({ type: 'hello' });
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  destroy() {
    clearInterval(this.ticker);
    if (this.$root) this.$root.remove();
    this.$root = null;
  }

  /** Whether click-to-call can go through the browser softphone right now. */
  ready() {
    return this.state.status === 'ready';
  }

  toggle() {
    this.open = !this.open;
    this.draw();
    if (this.open) this.focus('[data-kvoip="phone-number"], [data-kvoip="phone-accept"], [data-kvoip="phone-hangup"]');
  }

  onState(state) {
    const previous = this.state;
    this.state = state;
    if (state.status === 'incoming' && previous.status !== 'incoming') {
      // Open the panel in one tab only (the one the manager looks at), like the caller popup.
      const key = `phone-incoming:${state.callSid || state.at}`;
      const delay = document.visibilityState === 'hidden' ? 400 : 0;
      setTimeout(() => {
        claimOnce(key).then((won) => {
          if (won && !this.open) {
            this.open = true;
            this.draw();
            this.focus('[data-kvoip="phone-accept"]');
          }
        });
      }, delay);
    }
    if (this.open) this.draw();
  }

  command(cmd, extra) {
    this.bus.post({ type: 'cmd', cmd, ...(extra || {}) });
  }

  statusLabel() {
    return this.t(`phone.status_${this.state.status.replace('-', '_')}`);
  }

  message() {
    const message = this.state.message;
    if (!message) return null;
    const known = this.t(`phone.message_${message}`);
    return known.indexOf('kvoip.') === 0 ? message : known;
  }

  viewModel() {
    const status = this.state.status;
    const active = ACTIVE.indexOf(status) >= 0;
    const inCall = status === 'in-call' || status === 'held';
    const action = (name, kind, pressed) => ({ name, kind, label: this.t(`phone.${name}`), pressed: pressed === undefined ? '' : String(pressed) });
    const actions = [];
    if (status === 'incoming') actions.push(action('accept', 'accept'), action('reject', 'hangup'));
    else if (active) {
      if (inCall) actions.push(action('mute', 'toggle', Boolean(this.state.muted)), action('hold', 'toggle', Boolean(this.state.held)));
      actions.push(action('hangup', 'hangup'));
    } else if (status === 'dropped') {
      if (this.state.canRedial) actions.push(action('redial', 'accept'));
      actions.push(action('dismiss', 'neutral'));
    } else if (status === 'ready') actions.push(action('call', 'accept'));
    return {
      status,
      statusLabel: this.statusLabel(),
      message: this.message(),
      messageKind: this.state.messageKind || 'info',
      party: this.state.party || null,
      showTimer: inCall || status === 'reconnecting',
      timer: this.timer(),
      showDialer: status === 'ready' || status === 'error' || status === 'unavailable',
      canDial: status === 'ready',
      number: this.number,
      showKeypad: status === 'ready' || inCall,
      keys: KEYS.map((value) => ({ value, label: this.t('phone.key', { key: value }) })),
      actions,
      texts: {
        title: this.t('phone.title'),
        close: this.t('phone.close'),
        number: this.t('phone.number'),
        numberPlaceholder: this.t('phone.number_placeholder'),
        keypad: this.t('phone.keypad'),
        duration: this.t('phone.duration'),
      },
    };
  }

  timer() {
    if (!this.state.startedAt) return '0:00';
    const seconds = Math.max(0, Math.floor((Date.now() - this.state.startedAt) / 1000));
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
  }

  tick() {
    if (this.$root) this.$root.find('[data-kvoip="phone-timer"]').text(this.timer());
  }

  focus(selector) {
    if (!this.$root) return;
    const target = this.$root.find(selector).filter(':visible').not(':disabled').first();
    if (target.length) target[0].focus();
  }

  draw() {
    const focused = document.activeElement && this.$root && this.$root[0].contains(document.activeElement) ? $(document.activeElement).attr('data-kvoip') : null;
    if (!this.open) {
      if (this.$root) this.$root.remove();
      this.$root = null;
      return;
    }
    const $panel = $(this.templates.render('softphone', this.viewModel()));
    const $root = $('<div class="kvoip kvoip-phone-host" data-kvoip="softphone-host"></div>').append($panel);
    if (this.$root) this.$root.replaceWith($root);
    else $root.appendTo(document.body);
    this.$root = $root;
    this.bind($root);
    if (focused) this.focus(`[data-kvoip="${focused}"]`);
  }

  bind($root) {
    const status = () => this.state.status;
    $root.on('keydown', (event) => {
      if (event.key === 'Escape') {
        this.open = false;
        this.draw();
      }
    });
    $root.find('[data-kvoip="phone-close"]').on('click', () => {
      this.open = false;
      this.draw();
    });
    const $number = $root.find('[data-kvoip="phone-number"]');
    $number.on('input', () => {
      this.number = String($number.val() || '');
    });
    $number.on('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.dialTyped();
      }
    });
    $root.find('[data-kvoip="phone-key"]').on('click', (event) => {
      const key = $(event.currentTarget).attr('data-key');
      if (status() === 'in-call' || status() === 'held') this.command('digit', { digit: key });
      else {
        this.number += key;
        $number.val(this.number);
      }
    });
    $root.find('[data-kvoip="phone-call"]').on('click', () => this.dialTyped());
    ['accept', 'reject', 'hangup', 'mute', 'hold', 'redial'].forEach((name) => {
      $root.find(`[data-kvoip="phone-${name}"]`).on('click', () => this.command(name));
    });
    $root.find('[data-kvoip="phone-dismiss"]').on('click', () => this.command('hangup'));
  }

  dialTyped() {
    const number = this.number.trim();
    if (!number || !this.onDial) return;
    this.onDial(number);
  }
}
