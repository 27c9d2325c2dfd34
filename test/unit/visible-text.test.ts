import { describe, expect, it } from 'vitest';
import { countControlCharacters, visibleText } from '../../src/core/visible-text.js';

describe('visibleText', () => {
  it('shows an OSC title sequence and a screen clear as pictures, not as escapes', () => {
    expect(visibleText('a\u001b]0;owned\u0007b\u001b[2J')).toBe('a␛]0;owned␇b␛[2J');
  });

  it('shows bidirectional overrides and isolates and C1 controls by their code point', () => {
    expect(visibleText('x\u202ey\u2066z\u0085')).toBe('x⟨U+202E⟩y⟨U+2066⟩z⟨U+0085⟩');
  });

  it('keeps line feeds and tabs only when asked; always shows CR and DEL', () => {
    expect(visibleText('a\nb\tc')).toBe('a␊b␉c');
    expect(visibleText('a\r\nb\tc\u007f', { keepLineFeeds: true, keepTabs: true })).toBe('a␍\nb\tc␡');
  });

  it('returns ordinary text, accents and emoji unchanged', () => {
    const text = 'Sheinbaum: «¡Nunca!» 🇲🇽 — señal';
    expect(visibleText(text)).toBe(text);
  });

  it('counts the characters it would show, not line ends or tabs', () => {
    expect(countControlCharacters('a\u001b[2Jb\r\n\t')).toBe(1);
    expect(countControlCharacters('\u202e\u0000\u0085')).toBe(3);
    expect(countControlCharacters('plain')).toBe(0);
  });
});
