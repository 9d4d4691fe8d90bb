// A module written in ES module syntax, imported by esm_import_local.js.
export let counter = 0;
export function increment() { counter += 1; }
export const shout = s => s.toUpperCase() + '!';
export default function makeGreeter(greeting) {
    return name => `${greeting}, ${name}`;
}
