// @containsWord: the parameter occurs in the value as a whole word. As in ModSecurity v3, only ASCII
// letters continue a word: the occurrence must be bounded by the value's ends or by non-letters
// (digits and '_' do bound it). An empty parameter always matches; an empty value never does.
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function containsWord(value: string, word: string): boolean {
  if (word === '') return true;
  if (value === '') return false;
  for (let pos = value.indexOf(word); pos >= 0; pos = value.indexOf(word, pos + 1)) {
    const end = pos + word.length;
    const startOk = pos === 0 || !isLetter(value.charCodeAt(pos - 1));
    const endOk = end === value.length || !isLetter(value.charCodeAt(end));
    if (startOk && endOk) return true;
  }
  return false;
}

registerOperator(stringOperator('containsWord', containsWord));
