/** The part of madge's API (it ships no types) the layering test uses. */
declare module 'madge' {
  interface MadgeResult {
    /** Each file, relative to the base, and the files it imports. */
    obj(): Record<string, string[]>;
  }
  interface MadgeOptions {
    fileExtensions?: string[];
    tsConfig?: string;
    excludeRegExp?: RegExp[];
  }
  export default function madge(path: string, options?: MadgeOptions): Promise<MadgeResult>;
}
