/*
 * Stand-in for the Twilio Voice JS SDK's Device and Call (@twilio/voice-sdk 2.x): the only thing the
 * browser tests replace, because Twilio's signalling and media servers cannot be reached from here.
 * It implements the documented surface the widget uses (voip.md §1.8): Device(token, options) with
 * register / unregister / connect / updateToken / destroy and the events registered, error, incoming,
 * tokenWillExpire; Call with accept / reject / ignore / disconnect / mute / isMuted / sendDigits / status,
 * `parameters`, and the events accept, ringing, cancel, reject, disconnect, error, mute, reconnecting,
 * reconnected. Tests drive the "network side" through window.__twilioStandIn.
 */
(function () {
  'use strict';

  function Emitter() {
    this.handlers = {};
  }
  Emitter.prototype.on = function (event, handler) {
    (this.handlers[event] = this.handlers[event] || []).push(handler);
    return this;
  };
  Emitter.prototype.emit = function (event) {
    var args = Array.prototype.slice.call(arguments, 1);
    (this.handlers[event] || []).slice().forEach(function (handler) {
      handler.apply(null, args);
    });
  };

  var control = { devices: [], calls: [], log: [] };
  window.__twilioStandIn = control;
  var sequence = 0;

  function Call(parameters, direction) {
    Emitter.call(this);
    sequence += 1;
    this.parameters = parameters;
    this.direction = direction;
    this.state = direction === 'INCOMING' ? 'pending' : 'connecting';
    this.muted = false;
    this.digits = '';
    this.id = sequence;
    control.calls.push(this);
  }
  Call.prototype = Object.create(Emitter.prototype);
  Call.prototype.accept = function () {
    control.log.push('accept:' + this.id);
    this.state = 'open';
    this.emit('accept', this);
  };
  Call.prototype.reject = function () {
    control.log.push('reject:' + this.id);
    this.state = 'closed';
    this.emit('reject');
  };
  Call.prototype.ignore = function () {
    this.state = 'closed';
  };
  Call.prototype.disconnect = function () {
    if (this.state === 'closed') return;
    control.log.push('disconnect:' + this.id);
    this.state = 'closed';
    this.emit('disconnect', this);
  };
  Call.prototype.mute = function (value) {
    this.muted = value !== false;
    control.log.push('mute:' + this.id + ':' + this.muted);
    this.emit('mute', this.muted, this);
  };
  Call.prototype.isMuted = function () {
    return this.muted;
  };
  Call.prototype.sendDigits = function (digits) {
    this.digits += digits;
    control.log.push('digits:' + this.id + ':' + digits);
  };
  Call.prototype.status = function () {
    return this.state;
  };

  function Device(token, options) {
    Emitter.call(this);
    this.token = token;
    this.options = options || {};
    this.state = 'unregistered';
    control.devices.push(this);
  }
  Device.prototype = Object.create(Emitter.prototype);
  Device.prototype.register = function () {
    var device = this;
    device.state = 'registering';
    return Promise.resolve().then(function () {
      device.state = 'registered';
      device.emit('registered');
    });
  };
  Device.prototype.unregister = function () {
    this.state = 'unregistered';
    this.emit('unregistered');
    return Promise.resolve();
  };
  Device.prototype.connect = function (options) {
    var call = new Call((options && options.params) || {}, 'OUTGOING');
    control.log.push('connect:' + call.id + ':' + JSON.stringify(call.parameters));
    setTimeout(function () {
      call.state = 'ringing';
      call.emit('ringing', true);
    }, 0);
    return Promise.resolve(call);
  };
  Device.prototype.updateToken = function (token) {
    this.token = token;
    control.log.push('updateToken');
  };
  Device.prototype.destroy = function () {
    this.state = 'destroyed';
    this.emit('destroyed');
  };

  /* The network side, for tests. */
  control.registered = function () {
    return control.devices.filter(function (device) {
      return device.state === 'registered';
    });
  };
  control.incoming = function (from, callSid) {
    var device = control.registered()[0];
    if (!device) throw new Error('no registered device');
    var call = new Call({ From: from, To: 'client:me', CallSid: callSid }, 'INCOMING');
    device.emit('incoming', call);
    return call.id;
  };
  control.find = function (id) {
    return control.calls.filter(function (call) {
      return call.id === id;
    })[0];
  };
  control.last = function () {
    return control.calls[control.calls.length - 1];
  };
  control.remoteAnswer = function (id) {
    var call = control.find(id);
    call.state = 'open';
    call.emit('accept', call);
  };
  control.remoteHangup = function (id) {
    var call = control.find(id);
    call.state = 'closed';
    call.emit('disconnect', call);
  };
  /** The media connection drops and does not come back (Twilio: reconnecting, then error 53405, then disconnect). */
  control.dropConnection = function (id) {
    var call = control.find(id);
    call.state = 'reconnecting';
    call.emit('reconnecting', { code: 53405, message: 'Media connection failed' });
    call.emit('error', { code: 53405, message: 'Media connection failed' });
    call.state = 'closed';
    call.emit('disconnect', call);
  };

  window.Twilio = { Device: Device, Call: Call };
})();
