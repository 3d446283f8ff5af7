import { describe, expect, it } from 'vitest';
import { smartArtDataXml, smartArtLayoutXml, type SmartArtNodeSpec } from '../fixtures/graphic-decks';
import {
  hasSmartArtContent,
  readSmartArtFacts,
  readSmartArtLayout,
  smartArtAltText,
  smartArtLongDescription,
  type SmartArtFacts,
} from './smartart-summary';
import { XmlParseError } from './xml-tree';

const LIMIT = { charLimit: 125 };

const CARDIAC_CYCLE: SmartArtNodeSpec[] = [
  { text: 'Atrial systole' },
  { text: 'Isovolumetric contraction' },
  { text: 'Ejection' },
  { text: 'Isovolumetric relaxation' },
  { text: 'Filling' },
];

const HEART: SmartArtNodeSpec[] = [
  {
    text: 'Heart',
    children: [
      { text: 'Left side', children: [{ text: 'Left atrium' }, { text: 'Left ventricle', children: [{ text: 'Mitral valve' }, { text: 'Aortic valve' }] }] },
      { text: 'Right side', children: [{ text: 'Right atrium' }, { text: 'Right ventricle' }] },
    ],
  },
];

function facts(nodes: readonly SmartArtNodeSpec[], layout: string, category: string, layoutXml: string | null): SmartArtFacts {
  const declared = layoutXml === null ? null : readSmartArtLayout(layoutXml);
  return readSmartArtFacts(smartArtDataXml(nodes, { layout, category }), declared);
}

describe('SmartArt read from its data model', () => {
  it('tells a cycle in order, following srcOrd rather than the order of the connections', () => {
    const cycle = facts(CARDIAC_CYCLE, 'cycle2', 'cycle', smartArtLayoutXml('cycle2', [['cycle', 1000]]));
    expect(cycle.layout).toBe('cycle');
    expect(cycle.nodes.map((node) => node.text)).toEqual(CARDIAC_CYCLE.map((node) => node.text));
    expect(smartArtAltText(cycle, LIMIT)).toBe(
      'Cycle: Atrial systole → Isovolumetric contraction → Ejection → Isovolumetric relaxation → Filling',
    );
    expect(smartArtLongDescription(cycle)).toBe(
      'Cycle, in order; the last step leads back to the first:\n' +
        '1. Atrial systole\n2. Isovolumetric contraction\n3. Ejection\n4. Isovolumetric relaxation\n5. Filling',
    );
  });

  it('tells a hierarchy from its root, two levels in the alt text and all of them in the long description', () => {
    const heart = facts(HEART, 'hierarchy1', 'hierarchy', smartArtLayoutXml('hierarchy1', [['hierarchy', 1000], ['convert', 17000]]));
    expect(smartArtAltText(heart, LIMIT)).toBe(
      'Hierarchy: Heart — Left side (Left atrium, Left ventricle); Right side (Right atrium, Right ventricle)',
    );
    expect(smartArtLongDescription(heart)).toBe(
      [
        'Hierarchy:',
        '- Heart',
        '  - Left side',
        '    - Left atrium',
        '    - Left ventricle',
        '      - Mitral valve',
        '      - Aortic valve',
        '  - Right side',
        '    - Right atrium',
        '    - Right ventricle',
      ].join('\n'),
    );
  });

  it('names every item it can before their children, gives children while they fit, and marks the rest', () => {
    const heart = facts(HEART, 'orgChart1', 'hierarchy', null);
    expect(smartArtAltText(heart, { charLimit: 80 })).toBe('Hierarchy: Heart — Left side (Left atrium, Left ventricle); Right side');
    expect(smartArtAltText(heart, { charLimit: 60 })).toBe('Hierarchy: Heart — Left side (Left atrium, …); Right side');
    expect(smartArtAltText(heart, { charLimit: 50 })).toBe('Hierarchy: Heart — Left side; Right side');
    expect(smartArtAltText(heart, { charLimit: 31 })).toBe('Hierarchy: Heart — Left side; …');
    expect(smartArtAltText(heart, { charLimit: 30 })).toBe('Hierarchy: Heart — Left side…');
    const cycle = facts(CARDIAC_CYCLE, 'cycle2', 'cycle', null);
    const cut = smartArtAltText(cycle, { charLimit: 60 });
    expect(cut).toBe('Cycle: Atrial systole → Isovolumetric contraction → …');
    expect(cut.length).toBeLessThanOrEqual(60);
    const long = facts([{ text: 'Antibiotic stewardship programme across every surgical ward of the hospital' }], 'default', 'list', null);
    expect(smartArtAltText(long, { charLimit: 40 })).toBe('List: Antibiotic stewardship programme…');
  });

  it('takes the layout from the category with the lowest priority, else from the layout id, else from the data model', () => {
    expect(readSmartArtLayout(smartArtLayoutXml('hList1', [['process', 20000], ['list', 1000], ['convert', 9000]]))).toBe('list');
    expect(readSmartArtLayout(smartArtLayoutXml('venn2', [['relationship', 30000], ['convert', 18000]]))).toBe('relationship');
    expect(readSmartArtLayout(smartArtLayoutXml('basicPyramid1', [['officeonline', 1000]]))).toBe('pyramid');
    expect(readSmartArtLayout(smartArtLayoutXml('chevron1#2', []))).toBe('process');
    expect(readSmartArtLayout(smartArtLayoutXml('AlternatingHexagons', [['picture', 100]]))).toBeNull();
    expect(readSmartArtLayout('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>')).toBeNull();

    const matrix = facts([{ text: 'Strengths' }, { text: 'Weaknesses' }, { text: 'Opportunities' }, { text: 'Threats' }], 'matrix3', 'matrix', null);
    expect(smartArtAltText(matrix, LIMIT)).toBe('Matrix: Strengths; Weaknesses; Opportunities; Threats');
    const unknown = facts([{ text: 'A' }], 'AlternatingHexagons', 'officeonline', null);
    expect(smartArtAltText(unknown, LIMIT)).toBe('Diagram: A');
  });

  it('tells a titled matrix by its title and its four quadrants, even when they are long', () => {
    const quadrants = ['Identify hazards on the ward', 'Assess likelihood and severity', 'Control the risk at its source', 'Review incidents and learn'];
    // A titled matrix: the first level-1 line is the centre, the first four level-2 lines the quadrants.
    const titled = facts(
      [{ text: 'Risk management', children: [...quadrants, 'Kept for other layouts'].map((text) => ({ text })) }],
      'matrix1',
      'matrix',
      smartArtLayoutXml('matrix1', [['matrix', 1000]]),
    );
    expect(smartArtAltText(titled, LIMIT)).toBe(
      'Matrix: Risk management — Identify hazards on the ward; Assess likelihood and severity; Control the risk at its source; …',
    );
    expect(smartArtAltText(titled, { charLimit: 160 })).toBe(`Matrix: Risk management — ${quadrants.join('; ')}`);
    expect(smartArtLongDescription(titled)).toBe(['Matrix:', '- Risk management', ...quadrants.map((q) => `  - ${q}`)].join('\n'));
  });

  it('names the quadrants of a cycle or grid matrix before their details, and only the four it draws', () => {
    const pdsa = ['Plan', 'Do', 'Study', 'Act'].map((text, i) => ({
      text,
      children: [{ text: ['Set an aim and a measure', 'Run the test on a small scale', 'Compare the data with the prediction', 'Adopt, adapt or abandon'][i] as string }],
    }));
    const cycleMatrix = facts([...pdsa, { text: 'Not drawn' }], 'cycle4', 'matrix', null);
    expect(cycleMatrix.nodes.map((node) => node.text)).toEqual(['Plan', 'Do', 'Study', 'Act']);
    expect(smartArtAltText(cycleMatrix, { charLimit: 80 })).toBe('Matrix: Plan (Set an aim and a measure); Do; Study; Act');
    expect(smartArtAltText(cycleMatrix, { charLimit: 40 })).toBe('Matrix: Plan; Do; Study; Act');
    const grid = facts([{ text: 'Urgent and important' }, { text: 'Important' }, { text: '' }, { text: 'Urgent' }, { text: 'Neither' }], 'matrix3', 'matrix', null);
    expect(smartArtAltText(grid, LIMIT)).toBe('Matrix: Urgent and important; Important; Urgent; Neither');
  });

  it('keeps the text of a pyramid list, the levels and what is under them', () => {
    const pyramid = facts(
      [{ text: 'Systematic reviews' }, { text: 'Randomised trials', children: [{ text: 'Blinded' }, { text: 'Open label' }] }, { text: 'Cohort studies' }, { text: 'Case reports' }],
      'pyramid2',
      'pyramid',
      smartArtLayoutXml('pyramid2', [['pyramid', 1000], ['list', 4000]]),
    );
    expect(smartArtAltText(pyramid, LIMIT)).toBe('Pyramid: Systematic reviews; Randomised trials (Blinded, Open label); Cohort studies; Case reports');
  });

  it('shows sub-points of a process in parentheses', () => {
    const process = facts(
      [{ text: 'Assess', children: [{ text: 'History' }, { text: 'Examination' }] }, { text: 'Plan' }, { text: 'Treat.' }],
      'process1',
      'process',
      smartArtLayoutXml('process1', [['process', 1000]]),
    );
    expect(smartArtAltText(process, LIMIT)).toBe('Process: Assess (History, Examination) → Plan → Treat');
    const oneStep = facts([{ text: 'Assess', children: [{ text: 'History' }, { text: 'Examination' }] }], 'process1', 'process', null);
    expect(smartArtAltText(oneStep, LIMIT)).toBe('Process: Assess (History, Examination)');
    expect(smartArtLongDescription(process)).toBe('Process, in order:\n1. Assess\n  - History\n  - Examination\n2. Plan\n3. Treat.');
  });

  it('leaves out empty nodes but not their children, and reads assistants and multi-paragraph nodes', () => {
    const org = facts(
      [
        {
          text: 'Dean',
          children: [
            { text: 'Office manager', type: 'asst' },
            { text: '', children: [{ text: 'Anatomy' }, { text: 'Physiology' }] },
            { text: ['Clinical', 'skills'] },
          ],
        },
      ],
      'orgChart1',
      'hierarchy',
      null,
    );
    expect(smartArtAltText(org, LIMIT)).toBe('Hierarchy: Dean — Office manager; Anatomy; Physiology; Clinical / skills');
  });

  it('reads ISO-Strict data models and has nothing to say about one without text', () => {
    const strict = readSmartArtFacts(smartArtDataXml(CARDIAC_CYCLE, { layout: 'cycle2', category: 'cycle', strict: true }), null);
    expect(smartArtAltText(strict, LIMIT)).toBe(
      'Cycle: Atrial systole → Isovolumetric contraction → Ejection → Isovolumetric relaxation → Filling',
    );
    const blank = readSmartArtFacts(smartArtDataXml([{ text: '' }, { text: '' }], { layout: 'default', category: 'list' }), null);
    expect(blank).toEqual({ layout: 'list', nodes: [] });
    expect(hasSmartArtContent(blank)).toBe(false);
    expect(readSmartArtFacts('<dgm:layoutDef xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"/>', 'cycle')).toEqual({
      layout: 'cycle',
      nodes: [],
    });
  });

  it('survives connection loops, nodes reached twice and a missing doc point', () => {
    const dgm = 'http://schemas.openxmlformats.org/drawingml/2006/diagram';
    const a = 'http://schemas.openxmlformats.org/drawingml/2006/main';
    const pt = (id: string, text: string) => `<dgm:pt modelId="${id}"><dgm:t><a:bodyPr/><a:p><a:r><a:t>${text}</a:t></a:r></a:p></dgm:t></dgm:pt>`;
    const cxn = (src: string, dest: string, order: number) => `<dgm:cxn modelId="c${src}${dest}" srcId="${src}" destId="${dest}" srcOrd="${order}" destOrd="0"/>`;
    const xml =
      `<dgm:dataModel xmlns:dgm="${dgm}" xmlns:a="${a}"><dgm:ptLst>${pt('1', 'One')}${pt('2', 'Two')}${pt('3', 'Three')}${pt('4', 'Alone')}</dgm:ptLst>` +
      `<dgm:cxnLst>${cxn('1', '2', 0)}${cxn('2', '3', 0)}${cxn('3', '2', 0)}${cxn('1', '3', 1)}</dgm:cxnLst></dgm:dataModel>`;
    const read = readSmartArtFacts(xml, 'hierarchy');
    expect(smartArtLongDescription(read)).toBe('Hierarchy:\n- One\n  - Two\n    - Three\n- Alone');
  });

  it('refuses a DOCTYPE', () => {
    try {
      readSmartArtFacts('<!DOCTYPE x [<!ENTITY e "x">]><dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"/>', null);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(XmlParseError);
      expect((error as XmlParseError).code).toBe('EUNSAFE_XML');
    }
  });
});
