import { describe, expect, it } from 'vitest';
import { configSchema } from '../../shared/config-schema';
import { ProcessorChoice } from './processor-choice';

const files = { configFile: '/home/me/.config/altgen/config.yaml', settingsFile: '/tmp/altgen-run-x/settings.yaml' };
const onDefaults = { configFile: null, settingsFile: files.settingsFile };

describe('ProcessorChoice', () => {
  it('always names the run’s settings to the built-in processor, config file or not: it never looks for one itself', () => {
    const builtIn = new ProcessorChoice(configSchema.parse({}), ['node', 'altgen.js']);
    const expected = (settings: string) => ['node', 'altgen.js', 'process', '/in/a.pptx', '--output', '/out/.a.tmp.pptx', '--final-output', '/out/a.pptx', '--config', settings];
    expect(builtIn.argv('/in/a.pptx', '/out/.a.tmp.pptx', '/out/a.pptx', files)).toEqual(expected(files.settingsFile));
    expect(builtIn.argv('/in/a.pptx', '/out/.a.tmp.pptx', '/out/a.pptx', onDefaults)).toEqual(expected(files.settingsFile));
    expect(builtIn.label).toBe('built-in (altgen process)');
  });

  it("gives an external command's {config} the config file the batch read, or the run's settings on the defaults", () => {
    const external = new ProcessorChoice(configSchema.parse({ processor: { command: 'tool {input} {output} --config {config}' } }), ['node', 'altgen.js']);
    expect(external.argv('/in/a.pptx', '/out/tmp.pptx', '/out/a.pptx', files)).toEqual(['tool', '/in/a.pptx', '/out/tmp.pptx', '--config', files.configFile]);
    expect(external.argv('/in/a.pptx', '/out/tmp.pptx', '/out/a.pptx', onDefaults)).toEqual(['tool', '/in/a.pptx', '/out/tmp.pptx', '--config', files.settingsFile]);
    expect(external.label).toBe('tool {input} {output} --config {config}');
  });

  it('has none without a processor.command when the host cannot run the built-in one', () => {
    expect(new ProcessorChoice(configSchema.parse({}), undefined)).toMatchObject({ available: false, label: null });
  });
});
