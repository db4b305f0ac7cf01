/*
 * The live channel: call events pushed by our api to this manager's open Kommo tabs (Server-Sent Events).
 * EventSource cannot send the X-Auth-Token header, so a single-use ticket is fetched first with
 * $authorizedAjax; a lost connection is re-established with a new ticket and a growing pause.
 */
const MAX_BACKOFF_MS = 30000;

export class LiveChannel {
  constructor(api, handlers) {
    this.api = api;
    this.handlers = handlers;
    this.source = null;
    this.stopped = false;
    this.failures = 0;
    this.timer = null;
    this.state = 'idle';
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    this.source = null;
    this.setState('stopped');
  }

  setState(state) {
    this.state = state;
    if (this.handlers.onState) this.handlers.onState(state);
  }

  connect() {
    if (this.stopped) return;
    this.setState('connecting');
    this.api.request('POST', '/widget/live/ticket', {}).then(
      (answer) => {
        if (this.stopped) return;
        const source = new EventSource(answer.url);
        this.source = source;
        source.addEventListener('ready', () => {
          this.failures = 0;
          this.setState('open');
        });
        source.addEventListener('call', (event) => {
          let data = null;
          try {
            data = JSON.parse(event.data);
          } catch (ignore) {
            return;
          }
          this.handlers.onCall(data);
        });
        source.onerror = () => {
          // A used or expired ticket cannot reconnect by itself: close and start over with a new one.
          source.close();
          if (this.source === source) this.source = null;
          this.retry();
        };
      },
      (error) => {
        // 401/403: not installed or not allowed — retrying will not help until the page reloads.
        if (error && (error.status === 401 || error.status === 403)) {
          this.setState('refused');
          return;
        }
        this.retry();
      },
    );
  }

  retry() {
    if (this.stopped) return;
    this.failures += 1;
    this.setState('reconnecting');
    const pause = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures - 1, 5));
    this.timer = setTimeout(() => this.connect(), pause);
  }
}
