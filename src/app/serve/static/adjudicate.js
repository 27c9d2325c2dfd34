/**
 * The adjudication page of `coding serve`: the two coders' disagreements side by side, with the
 * unit in context and the rules of the codes in question; each decision is saved by the server
 * as `coding adjudicate` saves it, and shown as saved once the server answers.
 */

import { call, connection, element, refusalText, setText, typingIn } from './shared.js';

let data;
let index = 0;
let saving = false;
const codeInfo = new Map();

function codeLabel(id) {
  const code = codeInfo.get(id);
  return code ? `${id} — ${code.label}` : id;
}

function codeItems(listId, codes) {
  const list = document.getElementById(listId);
  list.replaceChildren();
  if (codes.length === 0) list.append(element('li', { class: 'quiet', text: '(no code)' }));
  for (const id of codes) list.append(element('li', { text: codeLabel(id) }));
}

function drawList() {
  const list = document.getElementById('list');
  list.replaceChildren();
  data.disagreements.forEach((disagreement, position) => {
    const button = element(
      'button',
      { type: 'button', 'aria-current': position === index ? 'true' : undefined },
      `${disagreement.unit}`,
      element('span', { class: 'quiet', text: disagreement.decided ? ' · decided' : ' · open' }),
    );
    button.addEventListener('click', () => {
      index = position;
      draw();
    });
    list.append(element('li', {}, button));
  });
  const decided = data.disagreements.filter((disagreement) => disagreement.decided).length;
  setText(
    'progress',
    `${decided} of ${data.disagreements.length} decided, ${data.disagreements.length - decided} open · saved in ${data.file}`,
  );
}

function draw() {
  drawList();
  setText('coders', `${data.coderA} and ${data.coderB}`);
  const empty = document.getElementById('empty');
  const current = document.getElementById('current');
  if (data.disagreements.length === 0) {
    empty.hidden = false;
    current.hidden = true;
    empty.textContent = `${data.coderA} and ${data.coderB} agree on every unit both coded: nothing to adjudicate.`;
    return;
  }
  empty.hidden = true;
  current.hidden = false;
  index = Math.max(0, Math.min(index, data.disagreements.length - 1));
  const item = data.disagreements[index];
  setText('unit-id', `${item.unit} (${index + 1} of ${data.disagreements.length})`);
  setText('meta', `document ${item.document}`);
  setText('before', item.before);
  setText('text', item.text);
  setText('after', item.after);
  document.getElementById('before').hidden = item.before === '';
  document.getElementById('after').hidden = item.after === '';
  setText('coder-a', data.coderA);
  setText('coder-b', data.coderB);
  setText('choice-a', data.coderA);
  setText('choice-b', data.coderB);
  codeItems('codes-a', item.codesA);
  codeItems('codes-b', item.codesB);
  const rules = document.getElementById('rules');
  rules.replaceChildren();
  const differing = [...new Set([...item.codesA, ...item.codesB])].filter(
    (id) => !(item.codesA.includes(id) && item.codesB.includes(id)),
  );
  for (const id of differing) {
    const code = codeInfo.get(id);
    if (!code) continue;
    const block = element(
      'div',
      { class: 'code' },
      element('p', {}, element('code', { text: id }), ' ', element('strong', { text: code.label })),
    );
    if (code.definition) block.append(element('p', { class: 'definition', text: code.definition }));
    if (code.include)
      block.append(element('p', { class: 'rule' }, element('strong', { text: 'Use when: ' }), code.include));
    if (code.exclude)
      block.append(element('p', { class: 'rule' }, element('strong', { text: 'Not when: ' }), code.exclude));
    rules.append(block);
  }
  const decided = item.decided;
  for (const radio of document.querySelectorAll('input[name=decision]'))
    radio.checked = decided !== null && radio.value === decided.decision;
  const finalCodes = new Set(decided ? decided.codes : [...item.codesA, ...item.codesB]);
  for (const box of document.querySelectorAll('#edit-list input')) box.checked = finalCodes.has(box.value);
  document.getElementById('edit-codes').hidden = !(decided && decided.decision === 'edit');
  document.getElementById('rationale').value = decided ? decided.rationale : '';
  setText(
    'saved',
    decided
      ? `Decided: ${decided.decision} → ${decided.codes.join(', ') || '(no code)'}, by ${decided.by} at ${decided.at}`
      : 'Not decided yet.',
  );
  document.getElementById('saved').dataset.decided = decided ? 'true' : 'false';
}

function drawEditList() {
  const box = document.getElementById('edit-list');
  box.replaceChildren();
  for (const category of data.codebook.categories) {
    const group = element(
      'div',
      { class: 'edit-category' },
      element('p', {
        class: 'quiet',
        text: category.exclusive ? `${category.label} · one code only` : category.label,
      }),
    );
    for (const code of category.codes) {
      const id = `final-${code.id}`;
      group.append(
        element(
          'div',
          { class: 'check' },
          element('input', { type: 'checkbox', id, value: code.id }),
          element('label', { for: id, text: `${code.label} (${code.id})` }),
        ),
      );
    }
    box.append(group);
  }
}

function choose(decision) {
  const radio = document.querySelector(`input[name=decision][value="${decision}"]`);
  if (!radio) return;
  radio.checked = true;
  document.getElementById('edit-codes').hidden = decision !== 'edit';
  radio.focus();
}

async function save() {
  if (saving || data.disagreements.length === 0) return;
  const item = data.disagreements[index];
  const chosen = document.querySelector('input[name=decision]:checked');
  const message = document.getElementById('message');
  if (!chosen) {
    message.textContent = 'Choose a decision first (a, b, o, n or e).';
    return;
  }
  const body = {
    unit: item.unit,
    decision: chosen.value,
    rationale: document.getElementById('rationale').value,
  };
  if (chosen.value === 'edit')
    body.codes = [...document.querySelectorAll('#edit-list input:checked')].map((box) => box.value);
  saving = true;
  message.textContent = 'Saving…';
  try {
    data = await call('POST', 'api/decide', body);
    message.textContent = '';
    const position = data.disagreements.findIndex((candidate) => candidate.unit === item.unit);
    index = position < 0 ? index : position;
    draw();
    setText(
      'saved',
      `Saved on disk: ${item.unit} → ${data.disagreements[index].decided.codes.join(', ') || '(no code)'}`,
    );
    document.getElementById('saved').dataset.decided = 'true';
  } catch (error) {
    message.textContent = `Not saved: ${refusalText(error)}`;
  } finally {
    saving = false;
  }
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || data === undefined) return;
  if (typingIn(event)) {
    if (event.key === 'Escape') event.target.blur();
    return;
  }
  const choices = { a: 'a', b: 'b', o: 'both', n: 'neither', e: 'edit' };
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (choices[key]) choose(choices[key]);
  else if (key === 'ArrowRight') {
    index = Math.min(index + 1, data.disagreements.length - 1);
    draw();
  } else if (key === 'ArrowLeft') {
    index = Math.max(0, index - 1);
    draw();
  } else if (key === 'r') document.getElementById('rationale').focus();
  else return;
  event.preventDefault();
}

async function start() {
  try {
    data = await call('GET', 'api/adjudication');
  } catch (error) {
    document.getElementById('current').hidden = true;
    const empty = document.getElementById('empty');
    empty.hidden = false;
    empty.textContent = refusalText(error);
    connection.show('online', 'connected');
    return;
  }
  connection.show('online', 'connected');
  for (const category of data.codebook.categories)
    for (const code of category.codes) codeInfo.set(code.id, code);
  drawEditList();
  const firstOpen = data.disagreements.findIndex((disagreement) => !disagreement.decided);
  index = Math.max(0, firstOpen);
  draw();
  document.querySelector('.text-box').tabIndex = 0;
  document.addEventListener('keydown', onKey);
  for (const radio of document.querySelectorAll('input[name=decision]'))
    radio.addEventListener('change', () => {
      document.getElementById('edit-codes').hidden = radio.value !== 'edit' || !radio.checked;
    });
  document.getElementById('decide-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  document.getElementById('rationale').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  });
  document.getElementById('previous').addEventListener('click', () => {
    index = Math.max(0, index - 1);
    draw();
  });
  document.getElementById('following').addEventListener('click', () => {
    index = Math.min(index + 1, data.disagreements.length - 1);
    draw();
  });
}

void start();
