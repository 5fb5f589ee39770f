// `wharf apiserver`: wired once the apiserver package exposes its entry point.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('wharf apiserver: not built yet\n');
  return 1;
}
