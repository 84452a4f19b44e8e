# yodnoma: the user interface in Russian. Every key here exists in en, kk and uz too.

site-name = yodnoma
site-tagline = Книга памяти: люди Центральной Азии во Второй мировой войне
skip-to-content = Перейти к содержимому
nav-label = Основное меню
nav-home = Главная
nav-search = Поиск по реестру
nav-exhibitions = Выставки
language-label = Язык
footer-text = yodnoma хранит память о тех, кто служил, трудился и страдал в годы войны: о солдатах, тружениках тыла, эвакуированных, партизанах и военнопленных. Сведения собраны из призывных списков, донесений о потерях, наградных листов и музейных собраний.
footer-api = Открытые данные: JSON API

home-title = Книга памяти
home-intro = В годы войны из Казахстана, Узбекистана, Кыргызстана, Таджикистана и Туркменистана было призвано более четырёх миллионов человек; около полутора миллионов не вернулись. Их следы рассеяны по призывным спискам, донесениям о потерях, наградным листам и музейным каталогам, а имена в них записаны по-разному. Ищите человека по любому написанию имени и посетите выставки, где можно увидеть их лица.
home-search-title = Найти человека
home-exhibitions-title = Выставки
home-registry-title = Реестр
count-persons = { $count ->
    [one] { $shown } человек
    [few] { $shown } человека
    [many] { $shown } человек
   *[other] { $shown } человека
}
count-records = { $count ->
    [one] по данным { $shown } записи из источников
    [few] по данным { $shown } записей из источников
    [many] по данным { $shown } записей из источников
   *[other] по данным { $shown } записи из источников
}

search-title = Поиск по реестру
search-label = Фамилия, имя или отчество в любом порядке
search-button = Найти
search-results = { $count ->
    [one] Найден { $shown } человек
    [few] Найдено { $shown } человека
    [many] Найдено { $shown } человек
   *[other] Найдено { $shown } человека
}
search-none = По запросу «{ $query }» никто не найден. Попробуйте ввести меньше букв или другое написание.
search-empty = Введите имя для поиска: фамилию, имя или и то и другое.
search-score = совпадение
search-records = { $count ->
    [one] { $shown } запись
    [few] { $shown } записи
    [many] { $shown } записей
   *[other] { $shown } записи
}
pagination-label = Страницы
pagination-previous = Предыдущая
pagination-next = Следующая
pagination-page = Страница { $page } из { $pages }

person-facts = Сведения
person-born = Дата рождения
person-died = Дата смерти
person-birth-place = Место рождения
person-region = Регион
person-country = Современное государство
person-nationality = Национальность
person-category = Участие в войне
person-rank = Звание
person-unit = Воинская часть
person-fate = Судьба
person-burial = Место захоронения
person-awards = Награды
person-names = Написание имени в источниках
person-records = Записи в источниках
person-exhibits = На выставках
names-form = Имя
names-script = Письменность
names-sources = Источники
record-source = Источник
record-id = Запись

category-served = Военнослужащий
category-home_front = Труженик тыла
category-evacuee = Эвакуированный
category-partisan = Партизан
category-pow = Военнопленный
category-civilian = Мирный житель

fate-survived = Пережил войну
fate-killed = Погиб в бою
fate-missing = Пропал без вести
fate-died_of_wounds = Умер от ран
fate-died_later = Умер после войны

award-hero = Герой Советского Союза
award-glory-full = Полный кавалер ордена Славы
award-lenin = Орден Ленина
award-red-banner = Орден Красного Знамени
award-glory-1 = Орден Славы I степени
award-glory-2 = Орден Славы II степени
award-glory-3 = Орден Славы III степени
award-patriotic-war-1 = Орден Отечественной войны I степени
award-patriotic-war-2 = Орден Отечественной войны II степени
award-red-star = Орден Красной Звезды
award-medal-courage = Медаль «За отвагу»
award-medal-battle-merit = Медаль «За боевые заслуги»
award-medal = Медаль
award-other = Другая награда

column-surname = Фамилия
column-given_name = Имя
column-patronymic = Отчество
column-birth_date = Дата рождения
column-death_date = Дата смерти
column-award_date = Дата награждения
column-birth_place = Место рождения
column-region = Регион
column-country = Страна
column-category = Категория
column-nationality = Национальность
column-rank = Звание
column-unit = Воинская часть
column-award = Награда
column-fate = Судьба
column-death_place = Место смерти
column-burial_place = Место захоронения
column-source_ref = Ссылка на источник
column-notes = Примечания

exhibitions-title = Выставки
exhibitions-none = Пока не опубликовано ни одной выставки.
exhibition-open = Открыть выставку
exhibition-sections = Разделы
exhibit-creator = Автор
exhibit-date = Дата
exhibit-technique = Техника
exhibit-dimensions = Размеры
exhibit-institution = Место хранения
exhibit-inventory = Инвентарный номер
exhibit-rights = Права
exhibit-depicts = На изображении
exhibit-shown-in = Где представлен
exhibit-placeholder = Временное изображение: музей ещё не добавил изображение оригинала.
exhibit-details = Об этом экспонате
viewer-label = Увеличение изображения
viewer-zoom-in = Приблизить
viewer-zoom-out = Отдалить
viewer-home = Всё изображение
viewer-full-page = Во весь экран
viewer-zoom-status = Масштаб: { $percent }% от оригинала
viewer-keys = На изображении: стрелки сдвигают, + и − меняют масштаб, 0 показывает всё изображение.

error-not-found-title = Страница не найдена
error-not-found-text = По этому адресу ничего нет. Возможно, ссылка неверна или страница была перемещена.
error-bad-request-title = Не удалось понять запрос
error-internal-title = Что-то пошло не так
error-internal-text = Сервер не смог ответить. Ошибка записана в журнал; пожалуйста, повторите попытку позже.
error-back-home = Вернуться на главную страницу
error-form-title = Форму не удалось принять
error-form-text = Исправьте, пожалуйста, и отправьте ещё раз:
error-conflict-title = Изменено за это время
error-conflict-text = Кто-то изменил это после того, как страница была открыта. Посмотрите ещё раз, прежде чем менять:
error-too-many-title = Подождите немного
error-too-many-text = Слишком много отправлено за короткое время:
error-back-to-form = Вернуться к форме

script-Cyrl = Кириллица
script-Latn = Латиница
script-Mixed = Смешанное письмо
script-Zyyy = Без букв

column-workplace = Место работы
column-evacuated_from = Откуда эвакуирован(а)
column-evacuated_to = Куда эвакуирован(а)
column-award_dates = Даты награждений
column-source = Документ
column-true_person = Человек (синтетические данные)

error-bad-request-text = В адресе есть значение, которое не удалось прочитать:

search-filters = Уточнить поиск
search-born-from = Год рождения от
search-born-to = Год рождения до
search-fate = Судьба
search-award = Награда
search-any = Любая
search-did-you-mean = Возможно, вы имели в виду
search-how = Как совпало имя
search-narrow = Уточнить результаты
search-facet-fate = По судьбе
search-facet-award = По наградам
search-facet-decade = По десятилетию рождения
search-facet-region = По области
search-decade = родились в { $decade }-х
search-born = { $year } г. р.
match-exact = то же написание
match-spelling = то же имя в другом написании
match-transliteration = то же имя в другой письменности
match-standard = записано по системе { $standard }
standard-soviet-passport = советского паспорта
standard-kazakh-latin-2017 = казахской латиницы 2017 года
standard-kazakh-latin-2018 = казахской латиницы 2018 года
standard-kazakh-latin-2021 = казахской латиницы 2021 года
standard-uzbek-latin = узбекской латиницы
standard-turkmen-latin = туркменской латиницы
standard-kyrgyz-bgn-pcgn = BGN/PCGN для киргизского
standard-tajik-latin = таджикской латиницы
match-phonetic = созвучно
match-fuzzy = { $count ->
    [one] отличается { $shown } буква
    [few] отличаются { $shown } буквы
    [many] отличаются { $shown } букв
   *[other] отличаются { $shown } буквы
}
match-initial = инициал
match-record_initial = в записи только инициал

login-title = Вход
login-text = Для сотрудников музея и архива: кураторов, модераторов и администраторов. Учётные записи создаёт администратор сервера.
login-email = Электронная почта
login-password = Пароль
login-submit = Войти
login-link = Вход для сотрудников
login-wrong = Неверная электронная почта или пароль.
login-throttled = Слишком много неудачных попыток. Подождите четверть часа и попробуйте снова.
logout = Выйти
review-title = Пары на проверку
review-intro = Каждая пара — две записи источников, которые могут описывать одного человека. Таблица показывает, что добавило каждое поле (в битах: плюс — за одного человека, минус — против); вероятность складывается из них. Решение сохраняется при всех следующих запусках связывания.
review-waiting = { $count ->
    [one] { $shown } пара ждёт проверки.
    [few] { $shown } пары ждут проверки.
   *[other] { $shown } пар ждут проверки.
}
review-none = Пар на проверку нет.
review-probability = Вероятность, что это один человек
review-field = Поле
review-agreement = Совпадение
review-weight = Вес
review-prior = До всех полей (априори)
review-same = Один человек: объединить
review-apart = Разные люди
review-decisions = Решения
review-undone = отменено
review-undo-stayed = { $count ->
    [one] { $shown } запись с тех пор была перемещена снова и осталась на месте
    [few] { $shown } записи с тех пор были перемещены снова и остались на месте
   *[other] { $shown } записей с тех пор были перемещены снова и остались на месте
}
review-undo = Отменить
review-decided-same = один человек
review-decided-apart = разные люди
person-split = Отделить эту запись
person-linked = Почему эти записи — один человек
person-linked-text = Связывание сравнило записи попарно. Каждая таблица показывает, что добавило каждое поле (в битах), и итоговую вероятность.
error-forbidden-title = Нет доступа
level-exact = полностью
level-same-name-other-spelling-or-script = то же имя, другое написание или алфавит
level-sounds-alike = созвучно
level-close-spelling = близкое написание
level-initial-or-partly-alike = инициал или частично
level-different = различается
level-one-digit-or-day-and-month-swapped = одна цифра или день и месяц переставлены
level-same-year-and-month = тот же год и месяц
level-same-year = тот же год
level-year-1 = год ±1
level-within-five-years = в пределах пяти лет
level-same-place-other-spelling = то же место, другое написание
level-similar = похоже
level-one-keystroke = одна опечатка
level-nearly-equal = почти совпадает
level-missing = нет данных
review-held-apart = Вероятно, но не объединены: другая запись одного из них явно о другом человеке.

login-sign-up = Впервые здесь и хотите поделиться историей семьи?
signup-title = Создать учётную запись
signup-problem-name = Напишите, пожалуйста, имя, которое будет стоять рядом с вашими историями.
signup-problem-email = Напишите, пожалуйста, адрес электронной почты, например aigerim@example.kz.
signup-problem-passwords = Пароли не совпадают: введите один и тот же пароль дважды.
signup-problem-password = Пароль должен быть не короче 10 знаков (и не длиннее 1024 байт).
signup-problem-taken = Учётная запись с этим адресом уже есть: войдите с ним.
signup-text = С учётной записью можно поделиться историями и фотографиями вашей семьи о человеке из реестра. Модератор читает каждую перед публикацией; они показываются рядом с официальными записями и никогда не заменяют их.
signup-name = Ваше имя, как его покажут
signup-name-hint = Показывается рядом с тем, чем вы поделились, например «Айгерим, внучка». Электронная почта не показывается никогда.
signup-email-hint = Для входа; никому не показывается.
signup-password-again = Пароль ещё раз
signup-submit = Создать
nav-account-mine = Мои материалы
nav-account-moderation = Модерация
nav-account-review = Проверка
nav-account-audit = Журнал изменений
contribute-title = Поделиться историей семьи
contribute-about = О человеке:
contribute-text = Модератор прочитает её перед публикацией на странице человека как память семьи рядом с записями. Решение будет видно в разделе «Мои материалы».
contribute-story-title = Заголовок
contribute-body = История
contribute-body-hint = Обычный текст; *курсив*, **жирный**, списки и ссылки работают как в Markdown.
contribute-relation = Кем вы приходитесь этому человеку
contribute-dates = Даты, о которых история
contribute-places = Места, о которых история
contribute-photo = Фотография или документ (необязательно)
contribute-photo-hint = JPEG, PNG, TIFF или WebP, не больше { $mb } МБ. Место съёмки никогда не показывается.
contribute-photo-alt = Что на фотографии (нужно, если есть фотография)
contribute-rights = Права
contribute-rights-hint = Кто может использовать фотографию и текст, например «семейный архив, для этого сайта» или «CC BY 4.0».
contribute-consent = Права на присылаемое принадлежат мне, и я согласен(на) на публикацию на этом сайте после модерации.
contribute-submit = Отправить на модерацию
report-title = Сообщить об ошибке
report-link = Сообщить об ошибке на этой странице
report-text = Имя с ошибкой, неверная дата, перепутаны два человека — сообщите музею о странице
report-body = Что неверно и как правильно
report-contact = Как с вами связаться (необязательно)
report-contact-hint = Видят только модераторы.
report-submit = Отправить сообщение
report-sent = Спасибо: сообщение ждёт модератора.
mine-title = Мои материалы
mine-sent = Спасибо: ваша история ждёт модератора.
mine-none = Вы ещё ничего не отправляли.
mine-person = страница человека
mine-reason = Почему не опубликовано
mine-note = Примечание модератора
moderation-title = Модерация
moderation-waiting = { $count ->
    [one] { $shown } материал ждёт.
    [few] { $shown } материала ждут.
   *[other] { $shown } материалов ждут.
}
moderation-note = Примечание о правке (показывается с историей)
moderation-approve = Одобрить и опубликовать
moderation-reason = Причина (автор её увидит)
moderation-reject = Отклонить
moderation-deleted = Удалённые
moderation-restore = Восстановить
moderation-delete = Удалить
contribution-kind-story = История
contribution-kind-report = Сообщение об ошибке
contribution-status-pending = Ждёт модератора
contribution-status-approved = Опубликовано
contribution-status-rejected = Не опубликовано
contribution-by-staff = сотрудники музея
audit-title = Журнал изменений
audit-when = Когда
audit-who = Кто
audit-what = Что
audit-subject = Чего
audit-before = До
audit-after = После
family-title = Память семьи
family-about = Этим поделились родственники, материалы проверены модераторами музея. Они показываются рядом с официальными записями и не меняют их.
family-shared-by = Поделился(лась):
family-edited = Отредактировано модератором
family-share = Поделиться историей семьи
propose-title = Расскажите о человеке, которого нет в реестре
propose-text = Не каждый солдат, труженик тыла или эвакуированный есть в списках музея. Расскажите, кем он был; модератор проверит присланное, и человек войдёт в реестр как запись источника «семьи».
propose-person = Человек
propose-date-hint = Даты в виде ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД.
propose-link = Нет в реестре? Расскажите о человеке
moderation-proposes = Предлагает человека, которого нет в реестре:
person-elsewhere = В других базах
api-docs-title = JSON API
api-docs-text = Все операции JSON API, описание создано из кода; то же в формате OpenAPI 3.1 для программ:
api-docs-parameter = Параметр
api-docs-meaning = Значение (* обязательный)
nav-statistics = Статистика
stats-title = Статистика реестра
stats-text = В реестре
stats-total-records = { $count ->
    [one] { $shown } запись из источников
    [few] { $shown } записи из источников
    [many] { $shown } записей из источников
   *[other] { $shown } записи из источников
}
nav-account = Ваша учётная запись
stats-note = Подсчитано по записям: человек, чьи записи расходятся (две области, два года смерти), учтён в каждой группе. В таблицах — крупнейшие группы; все — в их загрузках и через API.
stats-api = API статистики
stats-none = Ни одна запись не указывает.
stats-count = Людей
stats-share = Доля от крупнейшей группы
stats-by-republic = По республикам
stats-by-fate = По судьбе
stats-by-award = По наградам
stats-by-birth-decade = По десятилетию рождения
stats-by-death-year = По году смерти
stats-by-nationality = По национальности
stats-decade = { $decade }-е
republic-kazakhstan = Казахстан
republic-uzbekistan = Узбекистан
republic-kyrgyzstan = Кыргызстан
republic-tajikistan = Таджикистан
republic-turkmenistan = Туркменистан
nationality-kazakh = Казахи
nationality-uzbek = Узбеки
nationality-kyrgyz = Кыргызы
nationality-tajik = Таджики
nationality-turkmen = Туркмены
nationality-russian = Русские
nationality-ukrainian = Украинцы
nationality-tatar = Татары
nationality-karakalpak = Каракалпаки
nationality-uyghur = Уйгуры
nationality-dungan = Дунгане
nationality-belarusian = Белорусы
nationality-korean = Корейцы
nationality-german = Немцы

stats-filters = Считать только…
stats-republic = Республика
stats-category = Участие в войне
stats-apply = Подсчитать
stats-clear = Считать всех
stats-figures-title = Опубликованные цифры и что есть в реестре
stats-figures-text = Цифры, опубликованные о пяти республиках, и рядом — сколько таких людей есть в этом реестре: сколько ещё предстоит найти и оцифровать.
stats-figure = Цифра
stats-published = Опубликовано
stats-held = В реестре
stats-coverage = Доля в реестре
stats-source = Источник
stats-csv = Скачать таблицу (CSV)
stats-map-title = Карта: люди по республикам
stats-map-text = Пять республик закрашены по числу людей реестра из каждой; темнее — больше. Числа — в таблице ниже.
stats-chart-text = Столбцы от большего к меньшему; числа — в таблице ниже.
stats-timeline-title = Гибель и награды по месяцам войны
stats-timeline-text = Сколько людей погибло и сколько награждено в каждом месяце с июня 1941 по сентябрь 1945 года, где запись называет месяц.
stats-timeline-numbers = Числа по месяцам
stats-month = Месяц
stats-deaths = Гибель
stats-awards = Награды
stats-all = Всего
stats-by-region = По областям
stats-by-district = По районам
stats-by-category = По участию в войне
stats-cross-fate-republic = Судьба по республикам
stats-cross-award-nationality = Награды по национальностям
stats-about = около { $value }
stats-more-than = более { $value }
stats-not-counted = не подсчитывается
month-1 = январь
month-2 = февраль
month-3 = март
month-4 = апрель
month-5 = май
month-6 = июнь
month-7 = июль
month-8 = август
month-9 = сентябрь
month-10 = октябрь
month-11 = ноябрь
month-12 = декабрь
month-of-1 = января
month-of-2 = февраля
month-of-3 = марта
month-of-4 = апреля
month-of-5 = мая
month-of-6 = июня
month-of-7 = июля
month-of-8 = августа
month-of-9 = сентября
month-of-10 = октября
month-of-11 = ноября
month-of-12 = декабря
date-day = { $day } { $month } { $year }
date-month = { $month } { $year }

nav-events = События
nav-memorials = Места памяти
person-events = События
person-memorials = Места памяти
events-title = События войны
events-text = Сражения, операции, формирование частей, события тыла и подвиги в порядке времени — с людьми реестра, которые в них участвовали.
events-api = События в виде данных
events-none = События ещё не добавлены.
events-back = Все события
event-dates = Когда
event-kind = Вид
event-place = Место
event-units = Части
event-persons = Люди в реестре
event-persons-none = Ни одна запись реестра пока не связана.
event-kind-battle = Сражение
event-kind-operation = Операция
event-kind-formation = Формирование части
event-kind-home_front = Тыл
event-kind-deed = Подвиг
memorials-title = Места памяти
memorials-text = Мемориалы, памятники, музеи и места захоронений по республикам — с людьми, которые там похоронены или увековечены.
memorials-api = Места памяти в виде данных
memorials-none = Места памяти ещё не добавлены.
memorials-back = Все места памяти
memorials-elsewhere = За пределами пяти республик
memorial-kind = Вид
memorial-coordinates = На карте
memorial-persons = Похоронены или увековечены здесь
memorial-kind-memorial = Мемориал
memorial-kind-monument = Памятник
memorial-kind-museum = Музей
memorial-kind-burial = Место захоронения
memorials-map-title = Карта: места памяти
memorials-map-text = Пять республик закрашены по числу мест памяти в каждой; точка отмечает каждое место, положение которого известно. Ниже все они перечислены.
nav-account-curate = Кураторам
exhibition-preview = Предпросмотр: так посетители увидят выставку. Это черновик, пока выставка не опубликована.
curate-title = Работа с выставками
curate-intro = Составьте выставку здесь или храните её файлом и загружайте командой yodnoma import exhibition. Новая выставка — черновик: до публикации её видят только кураторы, и её нельзя опубликовать, пока у какого-либо изображения нет альтернативного текста на одном из её языков.
curate-exhibitions = Выставки, включая черновики
curate-column-status = Состояние
curate-status-draft = Черновик
curate-status-published = Опубликована
curate-preview = Предпросмотр
curate-public-page = страница для посетителей
curate-none = Выставок пока нет.
curate-new = Новая выставка
curate-field-id = Идентификатор
curate-id-hint = Латинские буквы, цифры, точки, дефисы и подчёркивания; он становится частью адреса и не меняется.
curate-create = Создать черновик
curate-back = Все выставки
curate-back-exhibition = К выставке
curate-edit = Правка
curate-details = Название, введение и языки
curate-field-title = Название
curate-field-introduction = Введение
curate-field-institution = Музей или учреждение
curate-field-curator = Куратор
curate-field-languages = Языки публикации
curate-languages-hint = Перед публикацией у каждого изображения выставки должен быть альтернативный текст на каждом отмеченном языке.
curate-save = Сохранить
curate-publish = Опубликовать
curate-unpublish = Вернуть в черновики
curate-refused = Не опубликовано: у некоторых изображений нет альтернативного текста на языке выставки. Каждое перечислено ниже; добавьте текст на странице экспоната и опубликуйте снова.
curate-missing-title = Не хватает альтернативного текста
curate-missing-alt = Экспонат { $exhibit }, изображение { $image }: нет альтернативного текста на языке «{ $language }»
curate-section = Раздел { $number }
curate-field-section-title = Название раздела
curate-save-section = Сохранить название раздела
curate-section-up = Поднять раздел
curate-section-down = Опустить раздел
curate-section-delete = Удалить раздел
curate-blocks = Повествование
curate-field-text = Текст (Markdown)
curate-field-attribution = Источник цитаты
curate-field-attribution-quote = Источник (для цитаты)
curate-save-block = Сохранить блок
curate-up = Выше
curate-down = Ниже
curate-delete-block = Удалить блок
curate-add-block = Добавить блок
curate-block-kind = Вид блока
curate-block-text = Текст
curate-block-quote = Цитата
curate-exhibits = Экспонаты
curate-images = { $count ->
    [one] { $shown } изображение
    [few] { $shown } изображения
   *[other] { $shown } изображений
}
curate-remove = Убрать из раздела
curate-new-exhibit = Новый экспонат
curate-add-exhibit = Добавить сохранённый экспонат
curate-add = Добавить
curate-add-section = Добавить раздел
curate-field-description = Описание
curate-field-technique = Техника
curate-field-museum = Музей-держатель
curate-field-creator = Автор
curate-field-date = Дата
curate-field-dimensions = Размеры
curate-field-inventory = Инвентарный номер
curate-field-rights = Права (адрес Creative Commons или RightsStatements.org)
curate-field-depicts = Изображённые люди
curate-depicts-hint = По одному в строке, как ИСТОЧНИК:ID_ЗАПИСИ одной из записей человека, например heroes:kz-001.
curate-images-heading = Изображения
curate-field-alt = Альтернативный текст: что изображено
curate-new-image = Добавить изображение
curate-field-image = Файл изображения
curate-image-hint = JPEG, PNG, TIFF или WebP, до 256 МБ. Файл хранится в точности как загружен; посетители видят сделанные из него фрагменты.
curate-field-image-rights = Права на это изображение, если не те же, что у экспоната
curate-save-exhibit = Сохранить экспонат
