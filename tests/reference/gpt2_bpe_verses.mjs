// Writes tests/Nnx.Runtime.Tests/Data/gpt2-bpe-verses.json: three King James verses as GPT-2 BPE ids from
// js-tiktoken (the JavaScript port of OpenAI's tiktoken, its own copy of the gpt2 ranks), an implementation
// independent of Microsoft.ML.Tokenizers, which the Gpt sample uses.
//   npm install js-tiktoken@1.0.21 && node tests/reference/gpt2_bpe_verses.mjs > tests/Nnx.Runtime.Tests/Data/gpt2-bpe-verses.json
import { getEncoding } from "js-tiktoken";

const enc = getEncoding("gpt2");
const verses = [
  "In the beginning God created the heaven and the earth.",
  "And God said, Let there be light: and there was light.",
  "For God so loved the world, that he gave his only begotten Son, that whosoever believeth in him should not perish, but have everlasting life.",
];
const rows = verses.map((text) => ({ text, ids: enc.encode(text) }));
console.log(JSON.stringify({ source: "js-tiktoken 1.0.21, getEncoding('gpt2')", verses: rows }, null, 1));
