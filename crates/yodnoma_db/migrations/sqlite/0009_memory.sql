-- The memory around the registry: published figures, events and places of memory.
-- Language maps and lists are JSON, as elsewhere in this schema. Events and places link to
-- source records (source, record_id), not persons, so that a link follows its record when
-- linkage moves it to another person.

CREATE TABLE published_figures (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    qualifier TEXT NOT NULL CHECK (qualifier IN ('exact', 'about', 'more_than')),
    -- What the registry counts beside it (yodnoma_core::Measure); NULL when it cannot.
    measure TEXT,
    source TEXT NOT NULL
);

-- The figures quoted at the conference "The Second World War in the history and memory of the
-- peoples of Central Asia: events, participants, symbols" (Tashkent, 30 April 2021), as
-- reported by the International Institute for Central Asia. `yodnoma import figures` replaces
-- them with a museum's own list.
INSERT INTO published_figures (id, position, label, value, qualifier, measure, source) VALUES
 ('drafted', 1,
  '{"ru":"Призваны в армию из пяти республик","kk":"Бес республикадан әскерге шақырылғандар","uz":"Besh respublikadan armiyaga chaqirilganlar","en":"Drafted from the five republics"}',
  4000000, 'more_than', 'persons',
  'International Institute for Central Asia, conference of 30 April 2021, Tashkent'),
 ('died', 2,
  '{"ru":"Погибли и пропали без вести","kk":"Қаза тапқандар мен хабарсыз кеткендер","uz":"Halok boʻlganlar va bedarak ketganlar","en":"Died or went missing"}',
  1500000, 'about', 'fate=killed,missing,died_of_wounds',
  'International Institute for Central Asia, conference of 30 April 2021, Tashkent'),
 ('decorated', 3,
  '{"ru":"Награждены орденами и медалями","kk":"Ордендермен және медальдармен марапатталғандар","uz":"Orden va medallar bilan taqdirlanganlar","en":"Awarded orders and medals"}',
  780000, 'more_than', 'award=*',
  'International Institute for Central Asia, conference of 30 April 2021, Tashkent'),
 ('heroes', 4,
  '{"ru":"Герои Советского Союза","kk":"Кеңес Одағының Батырлары","uz":"Sovet Ittifoqi Qahramonlari","en":"Heroes of the Soviet Union"}',
  1000, 'more_than', 'award=hero',
  'International Institute for Central Asia, conference of 30 April 2021, Tashkent'),
 ('glory', 5,
  '{"ru":"Полные кавалеры ордена Славы","kk":"Даңқ орденінің толық иегерлері","uz":"Shuhrat ordenining toʻliq kavalerlari","en":"Full Cavaliers of the Order of Glory"}',
  250, 'about', 'award=glory-full',
  'International Institute for Central Asia, conference of 30 April 2021, Tashkent'),
 ('evacuees', 6,
  '{"ru":"Приняты эвакуированные","kk":"Қабылданған эвакуацияланғандар","uz":"Qabul qilingan evakuatsiya qilinganlar","en":"Evacuees received"}',
  3000000, 'more_than', 'category=evacuee',
  'International Institute for Central Asia, conference of 30 April 2021, Tashkent');

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    -- Partial dates as text (1941, 1941-07, 1941-07-12): they sort in time order.
    start_date TEXT NOT NULL,
    end_date TEXT,
    place TEXT,
    republic TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    units TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX events_start ON events (start_date);

CREATE TABLE event_records (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (event_id, source, record_id)
);

CREATE INDEX event_records_record ON event_records (source, record_id);

CREATE TABLE memorials (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    place TEXT,
    republic TEXT,
    latitude REAL,
    longitude REAL,
    description TEXT NOT NULL,
    image_id TEXT REFERENCES images (id),
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE memorial_records (
    memorial_id TEXT NOT NULL REFERENCES memorials (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (memorial_id, source, record_id)
);

CREATE INDEX memorial_records_record ON memorial_records (source, record_id);
