/** Any byte a terminal acts on: C0 but newline, DEL, C1. Printed text must contain none. */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
export const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
