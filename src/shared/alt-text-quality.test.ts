import { describe, expect, it } from 'vitest';
import { altTextVerdict, classifyAltText } from './alt-text-quality';

describe('classifyAltText', () => {
  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['   \n ', 'missing'],
    ['Picture 3', 'weak'],
    ['Content Placeholder 4', 'weak'],
    ['IMG_2041.JPG', 'weak'],
    ['C:\\Users\\jsmith\\Pictures\\heart.png', 'weak'],
    ['/Users/jsmith/Desktop/slide-image.jpeg', 'weak'],
    ['A picture containing text, diagram. Description automatically generated', 'weak'],
    ['Heart', 'weak'],
    ['Coronal CT of the chest showing a right lower lobe consolidation', 'human'],
    ['Sagittal MRI of the knee', 'human'],
  ] as const)('%j is %s', (descr, expected) => {
    expect(classifyAltText(descr)).toBe(expected);
  });
});

describe('classifyAltText › file names', () => {
  it.each([
    'WD Talent Card pg 2.JPG',
    'télécharger (5).jpg',
    'Screen Shot 2019-03-04 at 10.15.22 AM.png',
    'heart [final] v2.jpeg',
    'images/WD Talent Card pg 2.JPG',
    'C:\\Users\\J Smith\\Pictures\\heart scan.png',
    'Herzkammer_Übersicht.tiff',
    'logo.svg',
    'fig:media/image1.png',
    'fig:',
    'fig:heart-diagram',
    'File:Heart diagram (labelled).svg',
    'File:Gray490.png',
    'Datei:Herz Schema.svg',
    'Fichier: Cœur humain.jpg',
    'Файл:Сердце.png',
    'https://upload.wikimedia.org/wikipedia/commons/e/e5/Diagram_of_the_human_heart.svg',
    'https://example.org/images?id=42',
    'IMG_2041',
    'PXL_20230405_103211',
    'Screenshot 2023-04-05 at 10.32.11',
  ])('%j is a file name: weak', (descr) => {
    expect(altTextVerdict(descr)).toEqual({ quality: 'weak', weakness: 'file-name' });
  });

  it.each([
    'Chest X-ray, PA view (see figure 2)',
    'A GIF animation of the cardiac cycle',
    'Bar chart exported from Excel as a PNG',
    'Heart anatomy. Image credit: Wikimedia Commons, Heart_diagram.svg',
    'Micrograph of hypertrophied cardiac muscle, from https://images.example.org/atlas/muscle.png',
    'Micrograph of cardiac muscle from https://images.example.org/atlas/muscle.png',
    'Image: axial CT of the abdomen with contrast',
    'File: consent form, page 2, signature section',
    'Figure 3: brachial plexus with its five roots',
    'JPEG artefacts obscure the lesion margin in this ultrasound',
  ])('%j mentions a file or a prefix but is written by a person: human', (descr) => {
    expect(classifyAltText(descr)).toBe('human');
  });

  it('counts localized default shape names as weak', () => {
    for (const name of ['Рисунок 60', 'Grafik 12', 'Afbeelding 3', 'Immagine 7', '図 4', '图片 2']) {
      expect(altTextVerdict(name), name).toEqual({ quality: 'weak', weakness: 'shape-name' });
    }
  });
});

describe('classifyAltText › Office automatic captions', () => {
  it.each([
    // English: every family and confidence level
    ['en', 'A picture containing text, diagram. Description automatically generated'],
    ['en', 'A close up of a logo\n\nDescription automatically generated'],
    ['en', 'A picture containing person. Description generated with very high confidence'],
    ['en', 'Description generated with high confidence'],
    ['en', 'A screenshot of a cell phone. Description generated with medium confidence'],
    ['en', 'A diagram of a human heart\n\nAI-generated content may be incorrect.'],
    ['en', 'A diagram of the brain\r\n\r\nAI-generated content may be incorrect.'],
    // German
    ['de', 'Ein Bild, das Text, Diagramm enthält. Automatisch generierte Beschreibung'],
    ['de', 'Ein Bild, das Person enthält. Beschreibung mit sehr hoher Zuverlässigkeit automatisch generiert'],
    ['de', 'Ein Diagramm des Herzens\n\nKI-generierte Inhalte können fehlerhaft sein.'],
    // French (both apostrophes PowerPoint has written)
    ['fr', 'Une image contenant texte, diagramme. Description générée automatiquement'],
    ['fr', 'Une image contenant personne. Description générée avec un niveau de confiance très élevé'],
    ['fr', 'Un schéma du cœur\n\nLe contenu généré par l’IA peut être incorrect.'],
    ['fr', "Un schéma du cœur\n\nLe contenu généré par l'IA peut être incorrect."],
    // Spanish
    ['es', 'Imagen que contiene texto, diagrama. Descripción generada automáticamente'],
    ['es', 'Imagen que contiene persona. Descripción generada con confianza muy alta'],
    ['es', 'Un diagrama del corazón\n\nEl contenido generado por IA puede ser incorrecto.'],
    // Italian
    ['it', 'Immagine che contiene testo, diagramma. Descrizione generata automaticamente'],
    ['it', 'Immagine che contiene persona. Descrizione generata con affidabilità molto elevata'],
    ['it', "Un diagramma del cuore\n\nIl contenuto generato dall'IA potrebbe non essere corretto."],
    // Dutch
    ['nl', 'Afbeelding met tekst, diagram. Automatisch gegenereerde beschrijving'],
    ['nl', 'Afbeelding met persoon. Beschrijving is gegenereerd met zeer hoge betrouwbaarheid'],
    ['nl', 'Een diagram van het hart\n\nDoor AI gegenereerde inhoud is mogelijk onjuist.'],
    ['nl', 'Een diagram van het hart\n\nAI-gegenereerde inhoud kan onjuist zijn.'],
    // Portuguese
    ['pt', 'Uma imagem contendo texto, diagrama. Descrição gerada automaticamente'],
    ['pt', 'Uma imagem contendo pessoa. Descrição gerada com muito alta confiança'],
    ['pt', 'Um diagrama do coração\n\nO conteúdo gerado por IA pode estar incorreto.'],
    // Russian
    ['ru', 'Изображение выглядит как текст, диаграмма. Автоматически созданное описание'],
    ['ru', 'Изображение выглядит как человек. Описание создано с очень высокой степенью достоверности'],
    ['ru', 'Схема сердца\n\nСодержимое, созданное искусственным интеллектом, может быть неверным.'],
    // Japanese
    ['ja', 'テキスト, 図 が含まれている画像 自動的に生成された説明'],
    ['ja', '人 が含まれている画像 非常に高い信頼度で生成された説明'],
    ['ja', '心臓の図\n\nAI 生成コンテンツは誤りを含む可能性があります。'],
    ['ja', 'コンピューターのスクリーンショット AI が生成したコンテンツは間違っている可能性があります。'],
    // Chinese, simplified and traditional
    ['zh', '图片包含 文本, 图示 描述已自动生成'],
    ['zh', '一張含有 文字, 圖表 的圖片 自動產生的描述'],
    ['zh', '心脏示意图\n\nAI 生成的内容可能不正确。'],
    ['zh', '心臟示意圖\n\nAI 產生的內容可能不正確。'],
  ] as const)('%s: %j is weak', (_language, descr) => {
    expect(altTextVerdict(descr)).toEqual({ quality: 'weak', weakness: 'auto-caption' });
  });

  it.each([
    'The AI-generated segmentation of the left ventricle (see methods)',
    'Description of the automatic generation of action potentials in the SA node',
    'Confidence intervals generated with bootstrapping, high for the treated group',
    'Schéma du cœur, description des quatre cavités',
    'Схема сердца, описание камер и клапанов',
    'Automatisch gesteuerte Insulinpumpe am Oberarm',
  ])('%j only shares words with a caption: human', (descr) => {
    expect(classifyAltText(descr)).toBe('human');
  });
});

describe('classifyAltText › rules', () => {
  it('applies configured weak patterns and the configured minimum', () => {
    expect(altTextVerdict('Slide 12 image', { weak_patterns: ['^slide \\d+ image$'] })).toEqual({ quality: 'weak', weakness: 'configured' });
    expect(classifyAltText('Slide 12 image')).toBe('human');
    expect(altTextVerdict('Aorta', { min_meaningful_alt_chars: 3 }).quality).toBe('human');
    expect(classifyAltText('Slide 12 image', { weak_patterns: ['(unclosed'] })).toBe('human');
  });

  it('counts a Chinese or Japanese character as two towards the minimum: a short real description stays human', () => {
    expect(classifyAltText('左心室の断面')).toBe('human');
    expect(classifyAltText('心脏横截面')).toBe('human');
    expect(altTextVerdict('心脏').weakness).toBe('too-short');
  });
});
