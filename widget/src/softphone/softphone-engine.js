/*
 * The softphone's engine: one Twilio Voice SDK Device per manager, living in ONE Kommo tab (the leader, see
 * tabs.js), driven by commands from every tab's panel over the TabBus and broadcasting its state back.
 * Access tokens are short-lived, minted by our api (POST /widget/softphone/token) and renewed on the SDK's
 * `tokenWillExpire`. A call whose media connection drops is reported; the manager redials with one click,
 * or it is redialled automatically when the account enabled `autoRedial`.
 *
 * Hold is local (the microphone is muted and the panel shows "On hold"): the customer hears silence, not
 * music — a server-side hold would need the provider to re-route the live call.
 */
const CONNECTION_ERROR_CODES = [31003, 31005, 31009, 53000, 53001, 53405];
const AUTO_REDIAL_DELAY_MS = 2000;

export class SoftphoneEngine {
  constructor({ api, bus, loadDevice, settings, callerInfo }) {
    this.api = api;
    this.bus = bus;
    this.loadDevice = loadDevice;
    this.settings = settings;
    this.callerInfo = callerInfo;
    this.device = null;
    this.call = null;
    this.state = { status: 'loading' };
    this.lastDial = null;
    this.connectionLost = false;
    this.redialTimer = null;
    this.destroyed = false;
    bus.on((message) => this.onMessage(message));
  }

  start() {
    this.publish({ status: 'loading' });
    return this.fetchToken()
      .then((grant) => this.loadDevice().then((Device) => ({ Device, grant })))
      .then(({ Device, grant }) => {
        if (this.destroyed) return;
        const device = new Device(grant.token, { closeProtection: true, codecPreferences: ['opus', 'pcmu'] });
        this.device = device;
        device.on('registered', () => this.publish({ status: 'ready', identity: grant.identity }));
        device.on('error', (error) => {
          if (!this.call) this.publish({ status: 'error', message: describeSdkError(error), messageKind: 'error' });
        });
        device.on('incoming', (call) => this.onIncoming(call));
        device.on('tokenWillExpire', () => {
          this.fetchToken().then(
            (fresh) => device.updateToken(fresh.token),
            () => this.publish({ ...this.state, message: 'token_refresh_failed', messageKind: 'error' }),
          );
        });
        return device.register();
      })
      .catch((error) => {
        if (this.destroyed) return;
        const code = error && error.code;
        if (code === 'not_mapped' || code === 'not_configured' || code === 'not_connected') {
          this.publish({ status: 'unavailable', message: error.messages && error.messages.join(' '), messageKind: 'info', reason: code });
        } else {
          this.publish({ status: 'error', message: (error && error.messages && error.messages.join(' ')) || String(error && error.message), messageKind: 'error' });
        }
      });
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.redialTimer);
    if (this.device) this.device.destroy();
    this.device = null;
  }

  fetchToken() {
    return this.api.request('POST', '/widget/softphone/token', {});
  }

  publish(state) {
    this.state = { ...state, at: Date.now() };
    this.bus.post({ type: 'state', state: this.state });
  }

  onMessage(message) {
    if (!message) return;
    if (message.type === 'hello') this.bus.post({ type: 'state', state: this.state });
    if (message.type === 'cmd') this.command(message);
  }

  command({ cmd, params, display, digit }) {
    const call = this.call;
    if (cmd === 'dial') this.dial(params, display);
    else if (cmd === 'accept' && call) call.accept();
    else if (cmd === 'reject' && call) {
      call.reject();
      this.endCall();
    } else if (cmd === 'hangup') {
      clearTimeout(this.redialTimer);
      if (call) call.disconnect();
      else this.publish({ status: this.device ? 'ready' : this.state.status });
    } else if (cmd === 'mute' && call) {
      const muted = !this.state.muted;
      call.mute(muted || Boolean(this.state.held));
      this.publish({ ...this.state, muted });
    } else if (cmd === 'hold' && call) {
      const held = !this.state.held;
      call.mute(held || Boolean(this.state.muted));
      this.publish({ ...this.state, held, status: held ? 'held' : 'in-call' });
    } else if (cmd === 'digit' && call && /^[0-9*#]$/.test(String(digit))) {
      call.sendDigits(String(digit));
      this.publish({ ...this.state, digits: (this.state.digits || '') + digit });
    } else if (cmd === 'redial' && this.lastDial) this.dial(this.lastDial.params, this.lastDial.display);
  }

  dial(params, display) {
    if (!this.device || this.call) return;
    clearTimeout(this.redialTimer);
    this.lastDial = { params, display };
    this.connectionLost = false;
    this.publish({ status: 'connecting', party: display, direction: 'outbound' });
    Promise.resolve(this.device.connect({ params })).then(
      (call) => this.follow(call, display, 'outbound'),
      (error) => this.publish({ status: 'ready', message: describeSdkError(error), messageKind: 'error' }),
    );
  }

  onIncoming(call) {
    if (this.call) {
      call.reject(); // one conversation at a time; the caller goes on to the next route (voicemail)
      return;
    }
    const phone = (call.parameters && call.parameters.From) || '';
    const known = this.callerInfo(phone);
    const display = { phone, name: (known && known.name) || phone };
    this.lastDial = null;
    this.follow(call, display, 'inbound');
    this.publish({ status: 'incoming', party: display, direction: 'inbound', callSid: call.parameters && call.parameters.CallSid });
  }

  follow(call, display, direction) {
    this.call = call;
    call.on('ringing', () => this.publish({ ...this.state, status: 'ringing' }));
    call.on('accept', () => this.publish({ status: 'in-call', party: display, direction, startedAt: Date.now(), muted: false, held: false }));
    call.on('reconnecting', () => {
      this.connectionLost = true;
      this.publish({ ...this.state, status: 'reconnecting', message: 'reconnecting', messageKind: 'warning' });
    });
    call.on('reconnected', () => {
      this.connectionLost = false;
      this.publish({ ...this.state, status: this.state.held ? 'held' : 'in-call', message: null });
    });
    call.on('error', (error) => {
      if (error && CONNECTION_ERROR_CODES.indexOf(Number(error.code)) >= 0) this.connectionLost = true;
      else this.publish({ ...this.state, message: describeSdkError(error), messageKind: 'error' });
    });
    call.on('cancel', () => this.endCall());
    call.on('reject', () => this.endCall());
    call.on('disconnect', () => this.endCall());
  }

  endCall() {
    const wasActive = this.call !== null;
    this.call = null;
    if (!wasActive) return;
    if (this.connectionLost) {
      this.connectionLost = false;
      const canRedial = Boolean(this.lastDial);
      this.publish({ status: 'dropped', party: this.state.party, message: 'dropped', messageKind: 'error', canRedial });
      if (canRedial && this.settings().autoRedial) {
        this.redialTimer = setTimeout(() => this.command({ cmd: 'redial' }), AUTO_REDIAL_DELAY_MS);
      }
      return;
    }
    this.publish({ status: 'ready', lastParty: this.state.party });
  }
}

function describeSdkError(error) {
  if (!error) return 'error';
  const code = error.code ? ` (${error.code})` : '';
  return `${error.message || error.description || 'error'}${code}`;
}
