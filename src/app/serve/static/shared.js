/**
 * What both pages of `coding serve` share: requests to the server (with the header that marks
 * them as the page's own, and retries while the server cannot be reached) and building elements
 * whose text is always set with textContent, never parsed as HTML.
 */

/** An element with attributes and children; strings become text nodes. */
function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Set an element's text (never HTML). */
function setText(id, text) {
  const node = document.getElementById(id);
  if (node) node.textContent = text ?? '';
}

/** A request id: random, so that a request sent again is recognised as the same one. */
function requestId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const connection = {
  state: 'online',
  show(state, text) {
    this.state = state;
    const node = document.getElementById('connection');
    if (!node) return;
    node.textContent = text;
    node.dataset.state = state;
  },
};

/** The server refused a request for good (not a lost connection): say why, do not retry. */
class Refused extends Error {
  constructor(status, message, hint) {
    super(message);
    this.status = status;
    this.hint = hint;
  }
}

/**
 * Send a request; while the server cannot be reached (or answers 502–504), show "offline" and try
 * again (1 s, 2 s, … up to 10 s apart) with the same body. Resolves with the parsed answer.
 */
async function call(method, path, body) {
  let wait = 1000;
  for (;;) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers:
          method === 'POST'
            ? { 'content-type': 'application/json', 'x-coding-request': '1' }
            : { accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
      });
    } catch {
      response = undefined;
    }
    if (response && response.status !== 502 && response.status !== 503 && response.status !== 504) {
      if (connection.state !== 'online') connection.show('online', 'connected');
      const type = response.headers.get('content-type') ?? '';
      const data = type.startsWith('application/json')
        ? await response.json()
        : { error: await response.text() };
      if (response.ok) return data;
      throw new Refused(response.status, String(data.error ?? `error ${response.status}`).trim(), data.hint);
    }
    connection.show(
      'offline',
      `offline: the server cannot be reached; trying again in ${Math.round(wait / 1000)} s`,
    );
    await new Promise((resolve) => setTimeout(resolve, wait));
    connection.show('offline', 'offline: trying again…');
    wait = Math.min(wait * 2, 10000);
  }
}

/** A refusal as a message for the page. */
function refusalText(error) {
  if (error instanceof Refused) {
    if (error.status === 403 && /link is not valid/.test(error.message))
      return 'This link is no longer valid (coding serve was restarted). Open the new link it printed for you.';
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  }
  return String(error instanceof Error ? error.message : error);
}

/** Whether a key event was typed into a field (where keys are text, not commands). */
function typingIn(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  if (target.tagName === 'INPUT') return !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

export { call, connection, element, Refused, refusalText, requestId, setText, typingIn };
