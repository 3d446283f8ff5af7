import { describe, expect, it } from 'vitest';
import { buildProcessorArgv, ProcessorCommandError, splitCommand } from './processor-command';

describe('splitCommand', () => {
  it.each([
    ['python3 pptx_alt_processor.py process {input}', ['python3', 'pptx_alt_processor.py', 'process', '{input}']],
    ['  a \t b\n c  ', ['a', 'b', 'c']],
    ["'/opt/Alt Gen/bin/proc' --flag", ['/opt/Alt Gen/bin/proc', '--flag']],
    ['"/opt/Alt Gen/bin/proc" --flag', ['/opt/Alt Gen/bin/proc', '--flag']],
    ['--out="a b"c', ['--out=a bc']],
    ["'it''s'", ['its']],
    ["'a \"b\" \\n'", ['a "b" \\n']],
    ['"say \\"hi\\" \\\\ there"', ['say "hi" \\ there']],
    ['"keep \\n and \\x"', ['keep \\n and \\x']],
    ['"\\$HOME"', ['$HOME']],
    ['a\\ b c', ['a b', 'c']],
    ['\\"quoted\\"', ['"quoted"']],
    ['one \\\ntwo', ['one', 'two']],
    ["'' x \"\"", ['', 'x', '']],
    ['$HOME/*.pptx ~ a|b > c', ['$HOME/*.pptx', '~', 'a|b', '>', 'c']],
    ['', []],
    ['   ', []],
  ])('splits %j', (command, words) => {
    expect(splitCommand(command)).toEqual(words);
  });

  it.each([
    ["proc 'unterminated", /unterminated single quote/],
    ['proc "unterminated \\"', /unterminated double quote/],
    ['proc trailing\\', /lone backslash/],
  ])('rejects %j', (command, message) => {
    expect(() => splitCommand(command)).toThrow(message);
    expect(() => splitCommand(command)).toThrow(ProcessorCommandError);
  });
});

describe('buildProcessorArgv', () => {
  const vars = {
    input: '/Users/dr smith/Lectures/Week 1 "intro".pptx',
    output: "/tmp/out dir/Week 1 'intro'.pptx.tmp",
    config: '/home/me/.config/altgen/config.yaml',
  };

  it('substitutes placeholders inside words, keeping paths with spaces as one argument', () => {
    expect(buildProcessorArgv('proc process {input} --output={output}', vars)).toEqual([
      'proc',
      'process',
      vars.input,
      `--output=${vars.output}`,
    ]);
  });

  it('takes a list command as argv without splitting it', () => {
    expect(buildProcessorArgv(['/opt/My Tools/proc', '--in', '{input}', '--out', '{output}'], vars)).toEqual([
      '/opt/My Tools/proc',
      '--in',
      vars.input,
      '--out',
      vars.output,
    ]);
  });

  it('replaces every occurrence, {config} included', () => {
    expect(
      buildProcessorArgv('proc {input} {output} --config {config} --log={output}.log', {
        ...vars,
        config: '/home/me/alt gen.yaml',
      }),
    ).toEqual(['proc', vars.input, vars.output, '--config', '/home/me/alt gen.yaml', `--log=${vars.output}.log`]);
  });

  it('does not substitute placeholders that appear inside substituted paths', () => {
    expect(buildProcessorArgv('proc {input} {output}', { input: '/a/{output}.pptx', output: '/b/{input}', config: '/c' })).toEqual([
      'proc',
      '/a/{output}.pptx',
      '/b/{input}',
    ]);
  });

  it('leaves quoted placeholders whole and other braces alone', () => {
    expect(buildProcessorArgv('proc "{input}" {output} {other} {}', vars)).toEqual([
      'proc',
      vars.input,
      vars.output,
      '{other}',
      '{}',
    ]);
  });

  it.each([
    ['proc {output}', '{input}'],
    ['proc {input}', '{output}'],
    [['proc', '{input}'], '{output}'],
  ])('rejects %j because it lacks %s', (command, missing) => {
    let thrown: unknown;
    try {
      buildProcessorArgv(command, vars);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProcessorCommandError);
    expect((thrown as ProcessorCommandError).code).toBe('ECONFIG');
    expect((thrown as Error).message).toContain('processor.command must contain {input} and {output}');
    expect((thrown as Error).message).toContain(`missing ${missing}`);
  });

  it('rejects an empty command', () => {
    expect(() => buildProcessorArgv('   ', vars)).toThrow(/processor.command is empty/);
    expect(() => buildProcessorArgv(['', '{input}', '{output}'], vars)).toThrow(/processor.command is empty/);
  });

  it('reports an unterminated quote as ECONFIG', () => {
    expect(() => buildProcessorArgv('proc "{input} {output}', vars)).toThrow(
      expect.objectContaining({ code: 'ECONFIG' }),
    );
  });
});
