# yodnoma: the user interface in Kazakh (Cyrillic). Every key here exists in en, ru and uz too.

site-name = yodnoma
site-tagline = Еске алу кітабы: Екінші дүниежүзілік соғыстағы Орталық Азия адамдары
skip-to-content = Негізгі мазмұнға өту
nav-label = Негізгі мәзір
nav-home = Басты бет
nav-search = Тізілімнен іздеу
nav-exhibitions = Көрмелер
language-label = Тіл
footer-text = yodnoma соғыс жылдары әскерде қызмет еткен, еңбек еткен және зардап шеккен адамдардың — жауынгерлердің, тыл еңбеккерлерінің, эвакуацияланғандардың, партизандардың және әскери тұтқындардың — есімін сақтайды. Деректер әскерге шақыру тізімдерінен, шығын туралы хабарламалардан, марапаттау парақтарынан және музей қорларынан алынған.
footer-api = Ашық деректер: JSON API

home-title = Еске алу кітабы
home-intro = Соғыс жылдары Қазақстаннан, Өзбекстаннан, Қырғызстаннан, Тәжікстаннан және Түрікменстаннан төрт миллионнан астам адам әскерге шақырылды; олардың бір жарым миллионға жуығы оралмады. Олардың іздері әскерге шақыру тізімдерінде, шығын туралы хабарламаларда, марапаттау парақтары мен музей каталогтарында шашырап жатыр, есімдері де әртүрлі жазылған. Адамды есімінің кез келген жазылуы бойынша іздеңіз және олардың жүздерін көрсететін көрмелермен танысыңыз.
home-search-title = Адамды іздеу
home-exhibitions-title = Көрмелер
home-registry-title = Тізілім
count-persons = { $count ->
    [one] { $count } адам
   *[other] { $count } адам
}
count-records = { $count ->
    [one] { $count } дереккөз жазбасы негізінде
   *[other] { $count } дереккөз жазбасы негізінде
}

search-title = Тізілімнен іздеу
search-label = Тегі, аты немесе әкесінің аты, кез келген ретпен
search-button = Іздеу
search-results = { $count ->
    [one] { $count } адам табылды
   *[other] { $count } адам табылды
}
search-none = «{ $query }» сұрауы бойынша ешкім табылмады. Әріптерді азырақ енгізіп немесе басқаша жазып көріңіз.
search-empty = Іздеу үшін есім енгізіңіз: тегін, атын немесе екеуін де.
search-score = сәйкестік
search-records = { $count ->
    [one] { $count } жазба
   *[other] { $count } жазба
}
pagination-label = Беттер
pagination-previous = Алдыңғы
pagination-next = Келесі
pagination-page = { $pages } беттің { $page }-беті

person-facts = Мәліметтер
person-born = Туған күні
person-died = Қайтыс болған күні
person-birth-place = Туған жері
person-region = Өңір
person-country = Қазіргі мемлекет
person-nationality = Ұлты
person-category = Соғысқа қатысуы
person-rank = Әскери атағы
person-unit = Әскери бөлімі
person-fate = Тағдыры
person-burial = Жерленген жері
person-awards = Марапаттары
person-names = Дереккөздердегі есімінің жазылуы
person-records = Дереккөз жазбалары
person-exhibits = Көрмелерде
names-form = Есімі
names-script = Жазу жүйесі
names-sources = Дереккөздер
record-source = Дереккөз
record-id = Жазба

category-served = Әскери қызметші
category-home_front = Тыл еңбеккері
category-evacuee = Эвакуацияланған
category-partisan = Партизан
category-pow = Әскери тұтқын
category-civilian = Бейбіт тұрғын

fate-survived = Соғыстан аман қалды
fate-killed = Ұрыста қаза тапты
fate-missing = Хабарсыз кетті
fate-died_of_wounds = Алған жарақатынан қайтыс болды
fate-died_later = Соғыстан кейін қайтыс болды

award-hero = Кеңес Одағының Батыры
award-glory-full = Даңқ орденінің толық иегері
award-lenin = Ленин ордені
award-red-banner = Қызыл Ту ордені
award-glory-1 = I дәрежелі Даңқ ордені
award-glory-2 = II дәрежелі Даңқ ордені
award-glory-3 = III дәрежелі Даңқ ордені
award-patriotic-war-1 = I дәрежелі Отан соғысы ордені
award-patriotic-war-2 = II дәрежелі Отан соғысы ордені
award-red-star = Қызыл Жұлдыз ордені
award-medal-courage = «Ерлігі үшін» медалі
award-medal-battle-merit = «Жауынгерлік еңбегі үшін» медалі
award-medal = Медаль
award-other = Басқа марапат

column-surname = Тегі
column-given_name = Аты
column-patronymic = Әкесінің аты
column-birth_date = Туған күні
column-death_date = Қайтыс болған күні
column-award_date = Марапатталған күні
column-birth_place = Туған жері
column-region = Өңір
column-country = Ел
column-category = Санат
column-nationality = Ұлты
column-rank = Әскери атағы
column-unit = Әскери бөлімі
column-award = Марапат
column-fate = Тағдыры
column-death_place = Қайтыс болған жері
column-burial_place = Жерленген жері
column-source_ref = Дереккөзге сілтеме
column-notes = Ескертпелер

exhibitions-title = Көрмелер
exhibitions-none = Әзірге бірде-бір көрме жарияланған жоқ.
exhibition-open = Көрмеге өту
exhibition-sections = Бөлімдер
exhibit-creator = Авторы
exhibit-date = Күні
exhibit-technique = Техникасы
exhibit-dimensions = Өлшемдері
exhibit-institution = Сақталған мекемесі
exhibit-inventory = Инвентарлық нөмірі
exhibit-rights = Құқықтар
exhibit-depicts = Бейнеленгені
exhibit-shown-in = Көрсетілген жері
exhibit-placeholder = Уақытша сурет: музей түпнұсқаның суретін әлі қоспады.
exhibit-details = Экспонат туралы
viewer-label = Суретті үлкейту
viewer-zoom-in = Жақындату
viewer-zoom-out = Алыстату
viewer-home = Бүкіл сурет
viewer-full-page = Толық экран
viewer-zoom-status = Масштаб: түпнұсқаның { $percent }%
viewer-keys = Суретте: бағыт пернелері жылжытады, + және − масштабты өзгертеді, 0 бүкіл суретті көрсетеді.

error-not-found-title = Бет табылмады
error-not-found-text = Бұл мекенжайда ештеңе жоқ. Сілтеме қате болуы немесе бет басқа жерге көшірілген болуы мүмкін.
error-bad-request-title = Сұрауды түсіну мүмкін болмады
error-internal-title = Бірдеңе дұрыс болмады
error-internal-text = Сервер жауап бере алмады. Ақау журналға жазылды; кейінірек қайталап көріңіз.
error-back-home = Басты бетке оралу

script-Cyrl = Кирилл жазуы
script-Latn = Латын жазуы
script-Mixed = Аралас жазу
script-Zyyy = Әріпсіз

column-workplace = Жұмыс орны
column-evacuated_from = Қайдан көшірілді
column-evacuated_to = Қайда көшірілді
column-award_dates = Марапатталған күндері
column-source = Құжат
column-true_person = Адам (синтетикалық деректер)

error-bad-request-text = Мекенжайда оқылмаған мән бар:

search-filters = Іздеуді нақтылау
search-born-from = Туған жылы, бастап
search-born-to = Туған жылы, дейін
search-fate = Тағдыры
search-award = Марапаты
search-any = Кез келген
search-did-you-mean = Мүмкін, сіз мынаны іздедіңіз
search-how = Есім қалай сәйкес келді
search-narrow = Нәтижелерді нақтылау
search-facet-fate = Тағдыры бойынша
search-facet-award = Марапаты бойынша
search-facet-decade = Туған онжылдығы бойынша
search-facet-region = Облысы бойынша
search-decade = { $decade } жылдары туғандар
search-born = { $year } ж. туған
match-exact = жазылуы бірдей
match-spelling = сол есім, басқаша жазылған
match-transliteration = сол есім, басқа жазуда
match-standard = { $standard } жүйесімен жазылған
match-phonetic = дыбысталуы ұқсас
match-fuzzy = { $count ->
    [one] { $count } әріп өзгеше
   *[other] { $count } әріп өзгеше
}
match-initial = бас әрпі
match-record_initial = жазбада тек бас әрпі бар

login-title = Кіру
login-text = Музей мен мұрағат қызметкерлеріне: кураторларға, модераторларға және әкімшілерге. Тіркелгілерді сервер әкімшісі жасайды.
login-email = Электрондық пошта
login-password = Құпиясөз
login-submit = Кіру
login-link = Қызметкерлердің кіруі
login-wrong = Электрондық пошта немесе құпиясөз қате.
login-throttled = Сәтсіз әрекеттер тым көп. Ширек сағат күтіп, қайта көріңіз.
logout = Шығу
review-title = Тексерілетін жұптар
review-intro = Әр жұп — бір адамды сипаттауы мүмкін екі дереккөз жазбасы. Кестеде әр өрістің қосқан салмағы көрсетілген (биттермен: оң — бір адам, теріс — қарсы); ықтималдық солардың қосындысы. Шешіміңіз байланыстырудың кейінгі барлық іске қосылуында сақталады.
review-waiting = { $count ->
    [one] Бір жұп тексеруді күтуде.
   *[other] { $count } жұп тексеруді күтуде.
}
review-none = Тексерілетін жұп жоқ.
review-probability = Бір адам болу ықтималдығы
review-field = Өріс
review-agreement = Сәйкестік
review-weight = Салмақ
review-prior = Өрістерге дейін (априори)
review-same = Бір адам: біріктіру
review-apart = Әртүрлі адамдар
review-decisions = Шешімдер
review-undone = болдырылмады
review-undo = Болдырмау
review-decided-same = бір адам
review-decided-apart = әртүрлі адамдар
person-split = Бұл жазбаны бөліп алу
person-linked = Бұл жазбалар неге бір адамдікі
person-linked-text = Байланыстыру жазбаларды жұп-жұбымен салыстырды. Әр кесте әр өрістің қосқанын (биттермен) және қорытынды ықтималдықты көрсетеді.
error-forbidden-title = Рұқсат жоқ
level-exact = толық
level-same-name-other-spelling-or-script = сол есім, басқа жазылу не әліпби
level-sounds-alike = үндес
level-close-spelling = жазылуы жақын
level-initial-or-partly-alike = бас әрпі не ішінара
level-different = әртүрлі
level-one-digit-or-day-and-month-swapped = бір цифр не күн мен ай ауысқан
level-same-year-and-month = сол жыл мен ай
level-same-year = сол жыл
level-year-1 = жыл ±1
level-same-place-other-spelling = сол жер, басқа жазылу
level-similar = ұқсас
level-one-keystroke = бір қате
level-nearly-equal = дерлік бірдей
level-missing = дерек жоқ
review-held-apart = Ықтимал, бірақ біріктірілмеді: біреуінің басқа жазбасы анық басқа адам туралы.

login-sign-up = Мұнда алғаш рет келдіңіз бе, отбасы тарихымен бөліскіңіз келе ме?
signup-title = Тіркелгі жасау
signup-text = Тіркелгімен тізілімдегі адам туралы отбасыңыздың әңгімелері мен суреттерімен бөлісе аласыз. Әрқайсысын модератор жарияламас бұрын оқиды; олар ресми жазбалардың қасында көрсетіледі және оларды ешқашан алмастырмайды.
signup-name = Көрсетілетін атыңыз
signup-name-hint = Бөліскен нәрсеңіздің қасында көрсетіледі, мысалы «Әйгерім, немересі». Электрондық поштаңыз ешқашан көрсетілмейді.
signup-email-hint = Кіру үшін; ешкімге көрсетілмейді.
signup-password-again = Құпиясөз тағы бір рет
signup-submit = Жасау
nav-account-mine = Менің материалдарым
nav-account-moderation = Модерация
nav-account-review = Тексеру
nav-account-audit = Өзгерістер журналы
contribute-title = Отбасы тарихымен бөлісу
contribute-about = Адам туралы:
contribute-text = Оны модератор адамның бетінде жазбалардың қасында отбасы жады ретінде жарияламас бұрын оқиды. Шешімді «Менің материалдарым» бөлімінен көресіз.
contribute-story-title = Тақырып
contribute-body = Әңгіме
contribute-body-hint = Қарапайым мәтін; *көлбеу*, **қалың**, тізімдер мен сілтемелер Markdown-дағыдай жұмыс істейді.
contribute-relation = Бұл адамға кім боласыз
contribute-dates = Әңгімедегі күндер
contribute-places = Әңгімедегі жерлер
contribute-photo = Сурет немесе құжат (міндетті емес)
contribute-photo-hint = JPEG, PNG, TIFF немесе WebP, { $mb } МБ-тан аспайды. Түсірілген жері ешқашан көрсетілмейді.
contribute-photo-alt = Суретте не бейнеленген (сурет болса, міндетті)
contribute-rights = Құқықтар
contribute-rights-hint = Суретті және мәтінді кім пайдалана алады, мысалы «отбасы мұрағаты, осы сайт үшін» немесе «CC BY 4.0».
contribute-consent = Жіберетін нәрсеме құқық менікі және оның модерациядан кейін осы сайтта жариялануына келісемін.
contribute-submit = Модерацияға жіберу
report-title = Қате туралы хабарлау
report-link = Осы беттегі қате туралы хабарлау
report-text = Атында қате бар, күні дұрыс емес, екі адам шатастырылған — музейге мына бет туралы хабарлаңыз:
report-body = Не дұрыс емес және қалай дұрыс
report-contact = Сізбен қалай байланысуға болады (міндетті емес)
report-contact-hint = Тек модераторлар көреді.
report-submit = Хабарламаны жіберу
report-sent = Рақмет: хабарлама модераторды күтуде.
mine-title = Менің материалдарым
mine-sent = Рақмет: әңгімеңіз модераторды күтуде.
mine-none = Сіз әлі ештеңе жібермедіңіз.
mine-person = адамның беті
mine-reason = Неге жарияланбады
mine-note = Модератордың ескертпесі
moderation-title = Модерация
moderation-waiting = { $count ->
    [one] Бір материал күтуде.
   *[other] { $count } материал күтуде.
}
moderation-note = Түзету туралы ескертпе (әңгімемен бірге көрсетіледі)
moderation-approve = Мақұлдап, жариялау
moderation-reason = Себебі (автор оны көреді)
moderation-reject = Қабылдамау
moderation-deleted = Жойылғандар
moderation-restore = Қалпына келтіру
moderation-delete = Жою
contribution-kind-story = Әңгіме
contribution-kind-report = Қате туралы хабарлама
contribution-status-pending = Модераторды күтуде
contribution-status-approved = Жарияланды
contribution-status-rejected = Жарияланбады
contribution-by-staff = музей қызметкерлері
audit-title = Өзгерістер журналы
audit-when = Қашан
audit-who = Кім
audit-what = Не
audit-subject = Ненің
audit-before = Бұрын
audit-after = Кейін
family-title = Отбасы жады
family-about = Мұны туыстары бөлісті, материалдарды музей модераторлары тексерді. Олар ресми жазбалардың қасында көрсетіледі және оларды өзгертпейді.
family-shared-by = Бөліскен:
family-edited = Модератор түзеткен
family-share = Отбасы тарихымен бөлісу
propose-title = Тізілімде жоқ адам туралы айтып беріңіз
propose-text = Әрбір жауынгер, тыл еңбеккері немесе көшірілген адам музей тізімдерінде бола бермейді. Оның кім болғанын айтып беріңіз; модератор жіберілгенді тексереді, содан кейін адам тізілімге «отбасылар» көзінің жазбасы ретінде енеді.
propose-person = Адам
propose-date-hint = Күндер ЖЖЖЖ, ЖЖЖЖ-АА немесе ЖЖЖЖ-АА-КК түрінде.
propose-link = Тізілімде жоқ па? Адам туралы айтып беріңіз
moderation-proposes = Тізілімде жоқ адамды ұсынады:
person-elsewhere = Басқа базаларда
api-docs-title = JSON API
api-docs-text = JSON API-дің барлық операциялары, сипаттама кодтан жасалған; бағдарламалар үшін OpenAPI 3.1 түрінде:
api-docs-parameter = Параметр
api-docs-meaning = Мағынасы (* міндетті)
nav-statistics = Статистика
stats-title = Тізілім статистикасы
stats-text = Тізілімде
stats-note = Жазбалар бойынша есептелді: жазбалары сәйкес келмейтін адам (екі облыс, қайтыс болған екі жыл) әр топта есептеледі. Тек ең үлкен топтар көрсетілген; барлығы, сүзгілерімен, API арқылы.
stats-api = Статистика API-і
stats-none = Ешбір жазба көрсетпейді.
stats-count = Адам
stats-share = Ең үлкен топқа қатысты үлесі
stats-by-republic = Республикалар бойынша
stats-by-fate = Тағдыры бойынша
stats-by-award = Марапаттар бойынша
stats-by-birth-decade = Туған онжылдығы бойынша
stats-by-death-year = Қайтыс болған жылы бойынша
stats-by-nationality = Ұлты бойынша
stats-decade = { $decade } жылдар
republic-kazakhstan = Қазақстан
republic-uzbekistan = Өзбекстан
republic-kyrgyzstan = Қырғызстан
republic-tajikistan = Тәжікстан
republic-turkmenistan = Түрікменстан
nationality-kazakh = Қазақтар
nationality-uzbek = Өзбектер
nationality-kyrgyz = Қырғыздар
nationality-tajik = Тәжіктер
nationality-turkmen = Түрікмендер
nationality-russian = Орыстар
nationality-ukrainian = Украиндар
nationality-tatar = Татарлар
nationality-karakalpak = Қарақалпақтар
nationality-uyghur = Ұйғырлар
nationality-dungan = Дүнгендер
nationality-belarusian = Беларустар
nationality-korean = Корейлер
nationality-german = Немістер
