/**
 * The coding page of `coding serve`: a thin view on the coder's session in the server. Each key
 * or click is sent as a command; the page draws the state the server answers with, and says
 * "saved" only for decisions the server reports on its disk.
 */

import { call, connection, element, Refused, refusalText, requestId, setText, typingIn } from './shared.js';

let state;
let codebook;
/** What each key does, as the server's session core says (the same keys as the terminal's). */
let keyActions = {};
/** Commands waiting to be sent, one at a time, in the order they were given. */
const queue = [];
let sending = false;
let stopped = false;

function drawCodebook() {
  const box = document.getElementById('codebook');
  box.replaceChildren();
  setText('codebook-name', codebook.name);
  document.getElementById('exclusive-note').hidden = !codebook.exclusive;
  for (const category of codebook.categories) {
    const legendText = category.exclusive ? `${category.label} · one code only` : category.label;
    const fieldset = element(
      'fieldset',
      { class: 'category', 'data-category': category.id },
      element('legend', { text: legendText }),
    );
    if (category.description) fieldset.append(element('p', { class: 'quiet', text: category.description }));
    for (const code of category.codes) {
      const inputId = `code-${code.id}`;
      const input = element('input', { type: 'checkbox', id: inputId, 'data-code': code.id });
      input.addEventListener('click', (event) => {
        event.preventDefault();
        send({ kind: 'toggle', code: code.id });
      });
      const label = element(
        'label',
        { for: inputId },
        element('kbd', { class: 'key', text: code.key ?? '·' }),
        ' ',
        element('span', { class: 'label', text: code.label }),
        ' ',
        element('code', { text: code.id }),
      );
      const item = element(
        'div',
        { class: 'code', style: undefined },
        element('div', { class: 'check' }, input, label),
      );
      if (code.depth > 0) item.classList.add(`depth-${Math.min(code.depth, 3)}`);
      if (code.definition) item.append(element('p', { class: 'definition', text: code.definition }));
      if (code.include)
        item.append(element('p', { class: 'rule' }, element('strong', { text: 'Use when: ' }), code.include));
      if (code.exclude)
        item.append(element('p', { class: 'rule' }, element('strong', { text: 'Not when: ' }), code.exclude));
      if (code.examples.length > 0) {
        const list = element('ul', { class: 'examples' });
        for (const example of code.examples) list.append(element('li', { text: `“${example}”` }));
        item.append(
          element('details', {}, element('summary', { text: `Examples (${code.examples.length})` }), list),
        );
      }
      fieldset.append(item);
    }
    box.append(fieldset);
  }
  const none = element('input', { type: 'checkbox', id: 'code-none' });
  none.addEventListener('click', (event) => {
    event.preventDefault();
    send({ kind: 'none' });
  });
  box.append(
    element(
      'div',
      { class: 'code none' },
      element(
        'div',
        { class: 'check' },
        none,
        element(
          'label',
          { for: 'code-none' },
          element('kbd', { class: 'key', text: '0' }),
          ' ',
          element('span', { class: 'label', text: 'No code applies' }),
        ),
      ),
    ),
  );
}

function draw() {
  setText('coder', state.coder);
  document.title = `Coding · ${state.coder}`;
  const { position, total, left, reviewed } = state.progress;
  setText(
    'progress',
    `${reviewed} of ${total} reviewed in ${state.scope}, ${left} left · unit ${position} of ${total}`,
  );
  const unit = state.unit;
  document.getElementById('text-box').hidden = unit === null;
  document.getElementById('meta').hidden = unit === null;
  document.getElementById('end').hidden = unit !== null;
  if (unit === null) {
    setText('unit-id', '');
    setText(
      'end-text',
      `This is the end of the list. ${left > 0 ? `${left} not reviewed yet: u goes to the next one.` : 'Every unit is reviewed.'} p goes back, g jumps to a unit.`,
    );
  } else {
    setText('unit-id', unit.id);
    const meta = [unit.title, unit.actor, unit.genre, unit.date, unit.role].filter((part) => part !== '');
    setText('meta', `${meta.join(' · ')} (document ${unit.document})`);
    setText('before', unit.before);
    setText('text', unit.text);
    setText('after', unit.after);
    document.getElementById('before').hidden = unit.before === '';
    document.getElementById('after').hidden = unit.after === '';
  }
  const marked = new Set(state.draft.codes);
  for (const input of document.querySelectorAll('input[data-code]')) {
    input.checked = marked.has(input.dataset.code);
    input.disabled = unit === null;
    input.closest('.code').classList.toggle('on', input.checked);
  }
  const none = document.getElementById('code-none');
  none.checked = state.draft.none && state.draft.codes.length === 0;
  none.disabled = unit === null;
  none.closest('.code').classList.toggle('on', none.checked);
  const memo = document.getElementById('memo');
  if (document.activeElement !== memo) memo.value = state.draft.memo;
  memo.disabled = unit === null;
  const status = document.getElementById('status');
  status.textContent = state.status;
  status.dataset.changed = String(state.changed);
}

function showMessage(message) {
  const node = document.getElementById('message');
  node.textContent = message ? message.text : '';
  node.dataset.tone = message ? message.tone : '';
}

/** Give a command: sent after those before it, with the version of the state it was given on. */
function send(command) {
  if (stopped) return;
  queue.push(command);
  if (!sending) void pump();
}

async function pump() {
  sending = true;
  document.body.dataset.busy = 'true';
  try {
    while (queue.length > 0 && !stopped) {
      const command = queue.shift();
      const body = { request: requestId(), version: state.version, command };
      let answer;
      try {
        answer = await call('POST', 'api/command', body);
      } catch (error) {
        fail(error);
        return;
      }
      state = answer.state;
      draw();
      // A decision saved is said once, in the "saved on disk" line below.
      showMessage(answer.message && answer.message.tone !== 'saved' ? answer.message : null);
      if (answer.conflict) queue.length = 0;
      if (answer.saved.length > 0) {
        const saved = document.getElementById('saved');
        const last = answer.saved[answer.saved.length - 1];
        const codes = last.codes.length === 0 ? 'no code applies' : last.codes.join(', ');
        saved.textContent = `Saved on disk: ${last.unit} → ${codes}${last.memo ? ` · memo: ${last.memo}` : ''}`;
        saved.dataset.unit = last.unit;
        saved.dataset.codes = last.codes.join(' ');
        saved.dataset.memo = last.memo;
      }
    }
  } finally {
    sending = false;
    document.body.dataset.busy = 'false';
  }
}

function fail(error) {
  queue.length = 0;
  if (error instanceof Refused && error.status === 403) stopped = true;
  if (error instanceof Refused && /stopped|NOT saved|stopping/.test(error.message)) stopped = true;
  showMessage({ text: refusalText(error), tone: 'refused' });
  if (stopped) connection.show('stopped', 'stopped: nothing more can be saved from this page');
}

function openHelp() {
  const dialog = document.getElementById('help');
  if (!dialog.open) dialog.showModal();
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || state === undefined) return;
  if (document.getElementById('help').open) return;
  const field = typingIn(event);
  if (field) {
    if (event.key === 'Escape') {
      if (event.target.id === 'memo') event.target.value = state.draft.memo;
      event.target.blur();
    }
    return;
  }
  const key = event.key;
  const lower = key.length === 1 ? key.toLowerCase() : key;
  const onControl =
    event.target instanceof HTMLElement && ['BUTTON', 'SUMMARY', 'A'].includes(event.target.tagName);
  const action = Object.hasOwn(keyActions, lower) ? keyActions[lower] : undefined;
  let handled = true;
  if (lower === 'ArrowRight' || (key === 'Enter' && !onControl)) send({ kind: 'next' });
  else if (lower === 'ArrowLeft') send({ kind: 'previous' });
  else if (action?.kind === 'command') send(action.command);
  else if (action?.kind === 'prompt') document.getElementById(action.prompt).focus();
  else if (action?.kind === 'help') openHelp();
  else handled = false;
  if (handled) event.preventDefault();
}

async function start() {
  let answer;
  try {
    answer = await call('GET', 'api/state');
  } catch (error) {
    fail(error);
    return;
  }
  codebook = answer.codebook;
  keyActions = answer.keys;
  state = answer.state;
  drawCodebook();
  draw();
  // A long unit scrolls in its box: the box takes the focus, so the arrow keys scroll it.
  document.getElementById('text-box').tabIndex = 0;
  connection.show('online', 'connected');
  document.addEventListener('keydown', onKey);
  document.getElementById('next').addEventListener('click', () => send({ kind: 'next' }));
  document.getElementById('prev').addEventListener('click', () => send({ kind: 'previous' }));
  document.getElementById('unreviewed').addEventListener('click', () => send({ kind: 'next-unreviewed' }));
  document.getElementById('help-button').addEventListener('click', openHelp);
  document
    .getElementById('help-close')
    .addEventListener('click', () => document.getElementById('help').close());
  document.getElementById('memo-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const memo = document.getElementById('memo');
    send({ kind: 'memo', text: memo.value });
    memo.blur();
  });
  document.getElementById('goto-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('goto');
    const unit = input.value.trim();
    if (unit === '') return;
    send({ kind: 'goto', unit });
    input.value = '';
    input.blur();
  });
}

void start();
