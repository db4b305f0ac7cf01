/*
 * Several Kommo tabs of the same manager run the widget at once (init_once keeps one instance per tab).
 * These helpers make sure a call shows up once per manager, not once per tab:
 * - claimOnce(key): the first tab to claim a key wins, across tabs of the same origin (Web Locks make the
 *   check-and-set atomic; localStorage remembers the winner for tabs that come later).
 * - TabBus: messages between the tabs of one manager (BroadcastChannel), used by the softphone, whose device
 *   lives in one tab only (the leader) while every tab shows its panel.
 * - leadership(name, onLead): runs onLead in exactly one tab at a time; the next tab takes over when it closes.
 */
const CLAIM_PREFIX = 'kvoip:claim:';
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

function storage() {
  try {
    return window.localStorage;
  } catch (ignore) {
    return null;
  }
}

function forgetOldClaims(store) {
  const now = Date.now();
  for (let i = store.length - 1; i >= 0; i -= 1) {
    const key = store.key(i);
    if (key && key.indexOf(CLAIM_PREFIX) === 0 && now - Number(store.getItem(key)) > CLAIM_TTL_MS) store.removeItem(key);
  }
}

/** Resolves true in exactly one tab per key (per browser profile). */
export function claimOnce(key) {
  const store = storage();
  const storageKey = CLAIM_PREFIX + key;
  const decide = () => {
    if (!store) return true;
    if (store.getItem(storageKey)) return false;
    store.setItem(storageKey, String(Date.now()));
    forgetOldClaims(store);
    return true;
  };
  if (navigator.locks && typeof navigator.locks.request === 'function') {
    return navigator.locks.request(storageKey, { ifAvailable: true }, (lock) => (lock ? decide() : false));
  }
  return Promise.resolve(decide());
}

/** Messages between this manager's tabs; `post` also delivers to this tab's own listeners. */
export class TabBus {
  constructor(name) {
    this.listeners = [];
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
    if (this.channel) this.channel.onmessage = (event) => this.deliver(event.data);
  }

  on(listener) {
    this.listeners.push(listener);
  }

  post(message) {
    if (this.channel) this.channel.postMessage(message);
    this.deliver(message);
  }

  deliver(message) {
    this.listeners.slice().forEach((listener) => listener(message));
  }

  close() {
    this.listeners = [];
    if (this.channel) this.channel.close();
  }
}

/**
 * Calls onLead() in one tab only; resolves the returned release function. Without Web Locks every tab
 * leads (older browsers: each tab keeps its own softphone, as Kommo integrations usually do).
 */
export function leadership(name, onLead) {
  let release = () => undefined;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  if (navigator.locks && typeof navigator.locks.request === 'function') {
    navigator.locks.request(name, () => {
      onLead();
      return held;
    }).catch(() => undefined);
  } else {
    onLead();
  }
  return () => release();
}
