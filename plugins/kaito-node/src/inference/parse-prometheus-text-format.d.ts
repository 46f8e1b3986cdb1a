declare module 'parse-prometheus-text-format' {
  const parse: (text: string) => any[];
  export default parse;
}
