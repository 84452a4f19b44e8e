# yodnoma: the user interface in Uzbek (Latin). Every key here exists in en, ru and kk too.

site-name = yodnoma
site-tagline = Xotira kitobi: Ikkinchi jahon urushidagi Markaziy Osiyo odamlari
skip-to-content = Asosiy mazmunga oʻtish
nav-label = Asosiy menyu
nav-home = Bosh sahifa
nav-search = Reyestrdan qidirish
nav-exhibitions = Koʻrgazmalar
language-label = Til
footer-text = yodnoma urush yillarida xizmat qilgan, mehnat qilgan va jabr koʻrgan insonlar — askarlar, front orti mehnatkashlari, evakuatsiya qilinganlar, partizanlar va harbiy asirlar xotirasini saqlaydi. Maʼlumotlar harbiy chaqiruv roʻyxatlari, yoʻqotishlar haqidagi xabarnomalar, mukofot varaqalari va muzey kolleksiyalaridan olingan.
footer-api = Ochiq maʼlumotlar: JSON API

home-title = Xotira kitobi
home-intro = Urush yillarida Qozogʻiston, Oʻzbekiston, Qirgʻiziston, Tojikiston va Turkmanistondan toʻrt milliondan ortiq kishi harbiy xizmatga chaqirildi; ularning bir yarim millionga yaqini qaytmadi. Ularning izlari harbiy chaqiruv roʻyxatlari, yoʻqotishlar haqidagi xabarnomalar, mukofot varaqalari va muzey kataloglarida tarqalib yotibdi, ismlari esa turlicha yozilgan. Insonni ismining istalgan yozilishi boʻyicha qidiring va ularning yuzlarini koʻrsatuvchi koʻrgazmalar bilan tanishing.
home-search-title = Insonni topish
home-exhibitions-title = Koʻrgazmalar
home-registry-title = Reyestr
count-persons = { $count ->
    [one] { $count } kishi
   *[other] { $count } kishi
}
count-records = { $count ->
    [one] { $count } ta manba yozuvi asosida
   *[other] { $count } ta manba yozuvi asosida
}

search-title = Reyestrdan qidirish
search-label = Familiya, ism yoki otasining ismi, istalgan tartibda
search-button = Qidirish
search-results = { $count ->
    [one] { $count } kishi topildi
   *[other] { $count } kishi topildi
}
search-none = «{ $query }» soʻrovi boʻyicha hech kim topilmadi. Kamroq harf kiriting yoki boshqacha yozib koʻring.
search-empty = Qidirish uchun ism kiriting: familiya, ism yoki ikkalasini.
search-score = moslik
search-records = { $count ->
    [one] { $count } ta yozuv
   *[other] { $count } ta yozuv
}
pagination-label = Sahifalar
pagination-previous = Oldingi
pagination-next = Keyingi
pagination-page = { $pages } sahifadan { $page }-sahifa

person-facts = Maʼlumotlar
person-born = Tugʻilgan sana
person-died = Vafot etgan sana
person-birth-place = Tugʻilgan joyi
person-region = Hudud
person-country = Hozirgi davlat
person-nationality = Millati
person-category = Urushdagi ishtiroki
person-rank = Harbiy unvoni
person-unit = Harbiy qismi
person-fate = Taqdiri
person-burial = Dafn etilgan joyi
person-awards = Mukofotlari
person-names = Manbalarda ismining yozilishi
person-records = Manba yozuvlari
person-exhibits = Koʻrgazmalarda
names-form = Ism
names-script = Yozuv
names-sources = Manbalar
record-source = Manba
record-id = Yozuv

category-served = Harbiy xizmatchi
category-home_front = Front orti mehnatkashi
category-evacuee = Evakuatsiya qilingan
category-partisan = Partizan
category-pow = Harbiy asir
category-civilian = Tinch aholi vakili

fate-survived = Urushdan omon qoldi
fate-killed = Jangda halok boʻldi
fate-missing = Bedarak yoʻqoldi
fate-died_of_wounds = Olgan jarohatlaridan vafot etdi
fate-died_later = Urushdan keyin vafot etdi

award-hero = Sovet Ittifoqi Qahramoni
award-glory-full = Shon-sharaf ordenining toʻliq kavaleri
award-lenin = Lenin ordeni
award-red-banner = Qizil Bayroq ordeni
award-glory-1 = I darajali Shon-sharaf ordeni
award-glory-2 = II darajali Shon-sharaf ordeni
award-glory-3 = III darajali Shon-sharaf ordeni
award-patriotic-war-1 = I darajali Vatan urushi ordeni
award-patriotic-war-2 = II darajali Vatan urushi ordeni
award-red-star = Qizil Yulduz ordeni
award-medal-courage = «Jasorat uchun» medali
award-medal-battle-merit = «Jangovar xizmatlari uchun» medali
award-medal = Medal
award-other = Boshqa mukofot

column-surname = Familiya
column-given_name = Ism
column-patronymic = Otasining ismi
column-birth_date = Tugʻilgan sana
column-death_date = Vafot etgan sana
column-award_date = Mukofotlangan sana
column-birth_place = Tugʻilgan joyi
column-region = Hudud
column-country = Mamlakat
column-category = Toifa
column-nationality = Millati
column-rank = Harbiy unvoni
column-unit = Harbiy qismi
column-award = Mukofot
column-fate = Taqdiri
column-death_place = Vafot etgan joyi
column-burial_place = Dafn etilgan joyi
column-source_ref = Manbaga havola
column-notes = Izohlar

exhibitions-title = Koʻrgazmalar
exhibitions-none = Hozircha birorta ham koʻrgazma eʼlon qilinmagan.
exhibition-open = Koʻrgazmaga oʻtish
exhibition-sections = Boʻlimlar
exhibit-creator = Muallif
exhibit-date = Sana
exhibit-technique = Texnika
exhibit-dimensions = Oʻlchamlari
exhibit-institution = Saqlovchi muassasa
exhibit-inventory = Inventar raqami
exhibit-rights = Huquqlar
exhibit-depicts = Tasvirlangan
exhibit-shown-in = Koʻrsatilgan joyi
exhibit-placeholder = Vaqtinchalik tasvir: muzey asl nusxaning tasvirini hali qoʻshmagan.
exhibit-details = Eksponat haqida
viewer-label = Tasvirni kattalashtirish
viewer-zoom-in = Yaqinlashtirish
viewer-zoom-out = Uzoqlashtirish
viewer-home = Butun tasvir
viewer-full-page = Toʻliq ekran
viewer-zoom-status = Masshtab: aslining { $percent }%
viewer-keys = Tasvirda: strelka tugmalari suradi, + va − masshtabni oʻzgartiradi, 0 butun tasvirni koʻrsatadi.

error-not-found-title = Sahifa topilmadi
error-not-found-text = Bu manzilda hech narsa yoʻq. Havola notoʻgʻri boʻlishi yoki sahifa boshqa joyga koʻchirilgan boʻlishi mumkin.
error-bad-request-title = Soʻrovni tushunib boʻlmadi
error-internal-title = Nimadir notoʻgʻri ketdi
error-internal-text = Server javob bera olmadi. Muammo jurnalga yozib qoʻyildi; keyinroq qayta urinib koʻring.
error-back-home = Bosh sahifaga qaytish

script-Cyrl = Kirill yozuvi
script-Latn = Lotin yozuvi
script-Mixed = Aralash yozuv
script-Zyyy = Harfsiz

column-workplace = Ish joyi
column-evacuated_from = Qayerdan evakuatsiya qilingan
column-evacuated_to = Qayerga evakuatsiya qilingan
column-award_dates = Mukofotlangan sanalar
column-source = Hujjat
column-true_person = Shaxs (sintetik maʼlumotlar)

error-bad-request-text = Manzilda oʻqib boʻlmaydigan qiymat bor:

search-filters = Qidiruvni aniqlashtirish
search-born-from = Tugʻilgan yili, dan
search-born-to = Tugʻilgan yili, gacha
search-fate = Taqdiri
search-award = Mukofoti
search-any = Istalgan
search-did-you-mean = Balki siz buni nazarda tutgandirsiz
search-how = Ism qanday mos keldi
search-narrow = Natijalarni aniqlashtirish
search-facet-fate = Taqdiri boʻyicha
search-facet-award = Mukofoti boʻyicha
search-facet-decade = Tugʻilgan oʻn yilligi boʻyicha
search-facet-region = Viloyati boʻyicha
search-decade = { $decade }-yillarda tugʻilganlar
search-born = { $year }-yilda tugʻilgan
match-exact = yozilishi bir xil
match-spelling = oʻsha ism, boshqacha yozilgan
match-transliteration = oʻsha ism, boshqa yozuvda
match-standard = { $standard } tizimida yozilgan
match-phonetic = ohangdosh
match-fuzzy = { $count ->
    [one] { $count } ta harf farq qiladi
   *[other] { $count } ta harf farq qiladi
}
match-initial = bosh harfi
match-record_initial = yozuvda faqat bosh harfi bor

login-title = Kirish
login-text = Muzey va arxiv xodimlari uchun: kuratorlar, moderatorlar va administratorlar. Hisoblarni server administratori yaratadi.
login-email = Elektron pochta
login-password = Parol
login-submit = Kirish
login-link = Xodimlar uchun kirish
login-wrong = Elektron pochta yoki parol notoʻgʻri.
login-throttled = Muvaffaqiyatsiz urinishlar juda koʻp. Chorak soat kutib, qayta urinib koʻring.
logout = Chiqish
review-title = Tekshiriladigan juftlar
review-intro = Har bir juft — bitta odamni tasvirlashi mumkin boʻlgan ikki manba yozuvi. Jadvalda har bir maydon qoʻshgan vazn koʻrsatilgan (bitlarda: musbat — bitta odam uchun, manfiy — qarshi); ehtimollik ularning yigʻindisi. Qaroringiz bogʻlashning keyingi barcha ishga tushirilishida saqlanadi.
review-waiting = { $count ->
    [one] Bitta juft tekshiruvni kutmoqda.
   *[other] { $count } ta juft tekshiruvni kutmoqda.
}
review-none = Tekshiriladigan juft yoʻq.
review-probability = Bitta odam boʻlish ehtimoli
review-field = Maydon
review-agreement = Moslik
review-weight = Vazn
review-prior = Maydonlardan oldin (apriori)
review-same = Bitta odam: birlashtirish
review-apart = Turli odamlar
review-decisions = Qarorlar
review-undone = bekor qilingan
review-undo = Bekor qilish
review-decided-same = bitta odam
review-decided-apart = turli odamlar
person-split = Bu yozuvni ajratish
person-linked = Nega bu yozuvlar bitta odamniki
person-linked-text = Bogʻlash yozuvlarni juft-juft solishtirdi. Har bir jadval har bir maydon qoʻshganini (bitlarda) va yakuniy ehtimollikni koʻrsatadi.
error-forbidden-title = Ruxsat yoʻq
level-exact = toʻliq
level-same-name-other-spelling-or-script = oʻsha ism, boshqa yozilish yoki alifbo
level-sounds-alike = ohangdosh
level-close-spelling = yozilishi yaqin
level-initial-or-partly-alike = bosh harf yoki qisman
level-different = farqli
level-one-digit-or-day-and-month-swapped = bir raqam yoki kun va oy almashgan
level-same-year-and-month = oʻsha yil va oy
level-same-year = oʻsha yil
level-year-1 = yil ±1
level-same-place-other-spelling = oʻsha joy, boshqa yozilish
level-similar = oʻxshash
level-one-keystroke = bitta xato
level-nearly-equal = deyarli bir xil
level-missing = maʼlumot yoʻq
review-held-apart = Ehtimol, lekin birlashtirilmadi: ulardan birining boshqa yozuvi aniq boshqa odam haqida.

login-sign-up = Bu yerda birinchi martami va oila tarixi bilan boʻlishmoqchimisiz?
signup-title = Hisob yaratish
signup-text = Hisob bilan reyestrdagi inson haqida oilangizning hikoyalari va suratlari bilan boʻlisha olasiz. Har birini moderator eʼlon qilishdan oldin oʻqiydi; ular rasmiy yozuvlar yonida koʻrsatiladi va ularni hech qachon almashtirmaydi.
signup-name = Koʻrsatiladigan ismingiz
signup-name-hint = Boʻlishgan narsangiz yonida koʻrsatiladi, masalan «Aygerim, nevarasi». Elektron pochtangiz hech qachon koʻrsatilmaydi.
signup-email-hint = Kirish uchun; hech kimga koʻrsatilmaydi.
signup-password-again = Parol yana bir marta
signup-submit = Yaratish
nav-account-mine = Mening materiallarim
nav-account-moderation = Moderatsiya
nav-account-review = Tekshiruv
nav-account-audit = Oʻzgarishlar jurnali
contribute-title = Oila tarixi bilan boʻlishish
contribute-about = Inson haqida:
contribute-text = Uni moderator inson sahifasida yozuvlar yonida oila xotirasi sifatida eʼlon qilishdan oldin oʻqiydi. Qarorni «Mening materiallarim» boʻlimida koʻrasiz.
contribute-story-title = Sarlavha
contribute-body = Hikoya
contribute-body-hint = Oddiy matn; *kursiv*, **qalin**, roʻyxatlar va havolalar Markdown-dagidek ishlaydi.
contribute-relation = Bu insonga kim boʻlasiz
contribute-dates = Hikoyadagi sanalar
contribute-places = Hikoyadagi joylar
contribute-photo = Surat yoki hujjat (ixtiyoriy)
contribute-photo-hint = JPEG, PNG, TIFF yoki WebP, { $mb } MB dan oshmasin. Suratga olingan joy hech qachon koʻrsatilmaydi.
contribute-photo-alt = Suratda nima tasvirlangan (surat boʻlsa, zarur)
contribute-rights = Huquqlar
contribute-rights-hint = Surat va matndan kim foydalanishi mumkin, masalan «oila arxivi, shu sayt uchun» yoki «CC BY 4.0».
contribute-consent = Yuborayotgan narsamga huquq menga tegishli va uning moderatsiyadan soʻng shu saytda eʼlon qilinishiga roziman.
contribute-submit = Moderatsiyaga yuborish
report-title = Xato haqida xabar berish
report-link = Bu sahifadagi xato haqida xabar berish
report-text = Ismda xato, notoʻgʻri sana, ikki inson aralashib ketgan — muzeyga ushbu sahifa haqida xabar bering:
report-body = Nima notoʻgʻri va qanday toʻgʻri
report-contact = Siz bilan qanday bogʻlanish mumkin (ixtiyoriy)
report-contact-hint = Faqat moderatorlar koʻradi.
report-submit = Xabarni yuborish
report-sent = Rahmat: xabar moderatorni kutmoqda.
mine-title = Mening materiallarim
mine-sent = Rahmat: hikoyangiz moderatorni kutmoqda.
mine-none = Siz hali hech narsa yubormadingiz.
mine-person = inson sahifasi
mine-reason = Nega eʼlon qilinmadi
mine-note = Moderator izohi
moderation-title = Moderatsiya
moderation-waiting = { $count ->
    [one] Bitta material kutmoqda.
   *[other] { $count } ta material kutmoqda.
}
moderation-note = Tahrir haqida izoh (hikoya bilan koʻrsatiladi)
moderation-approve = Maʼqullash va eʼlon qilish
moderation-reason = Sabab (muallif uni koʻradi)
moderation-reject = Rad etish
moderation-deleted = Oʻchirilganlar
moderation-restore = Tiklash
moderation-delete = Oʻchirish
contribution-kind-story = Hikoya
contribution-kind-report = Xato haqida xabar
contribution-status-pending = Moderatorni kutmoqda
contribution-status-approved = Eʼlon qilindi
contribution-status-rejected = Eʼlon qilinmadi
contribution-by-staff = muzey xodimlari
audit-title = Oʻzgarishlar jurnali
audit-when = Qachon
audit-who = Kim
audit-what = Nima
audit-subject = Nimaning
audit-before = Oldin
audit-after = Keyin
family-title = Oila xotirasi
family-about = Bular bilan qarindoshlar boʻlishdi, materiallarni muzey moderatorlari tekshirdi. Ular rasmiy yozuvlar yonida koʻrsatiladi va ularni oʻzgartirmaydi.
family-shared-by = Boʻlishgan:
family-edited = Moderator tahrir qilgan
family-share = Oila tarixi bilan boʻlishish
propose-title = Reyestrda yoʻq inson haqida aytib bering
propose-text = Har bir askar, front orti mehnatkashi yoki evakuatsiya qilingan inson muzey roʻyxatlarida boʻlavermaydi. Uning kim boʻlganini aytib bering; moderator yuborilganni tekshiradi va inson reyestrga «oilalar» manbasining yozuvi sifatida kiradi.
propose-person = Inson
propose-date-hint = Sanalar YYYY, YYYY-MM yoki YYYY-MM-DD koʻrinishida.
propose-link = Reyestrda yoʻqmi? Inson haqida aytib bering
moderation-proposes = Reyestrda yoʻq insonni taklif qiladi:
person-elsewhere = Boshqa bazalarda
api-docs-title = JSON API
api-docs-text = JSON API ning barcha amallari, tavsif koddan yaratilgan; dasturlar uchun OpenAPI 3.1 koʻrinishida:
api-docs-parameter = Parametr
api-docs-meaning = Maʼnosi (* majburiy)
nav-statistics = Statistika
stats-title = Reyestr statistikasi
stats-text = Reyestrda
stats-note = Yozuvlar boʻyicha hisoblangan: yozuvlari mos kelmaydigan inson (ikki viloyat, vafotning ikki yili) har bir guruhda hisoblanadi. Faqat eng katta guruhlar koʻrsatilgan; barchasi, filtrlari bilan, API orqali.
stats-api = Statistika API si
stats-none = Hech bir yozuv koʻrsatmaydi.
stats-count = Kishi
stats-share = Eng katta guruhga nisbatan ulushi
stats-by-republic = Respublikalar boʻyicha
stats-by-fate = Taqdiri boʻyicha
stats-by-award = Mukofotlar boʻyicha
stats-by-birth-decade = Tugʻilgan oʻn yilligi boʻyicha
stats-by-death-year = Vafot etgan yili boʻyicha
stats-by-nationality = Millati boʻyicha
stats-decade = { $decade }-yillar
republic-kazakhstan = Qozogʻiston
republic-uzbekistan = Oʻzbekiston
republic-kyrgyzstan = Qirgʻiziston
republic-tajikistan = Tojikiston
republic-turkmenistan = Turkmaniston
nationality-kazakh = Qozoqlar
nationality-uzbek = Oʻzbeklar
nationality-kyrgyz = Qirgʻizlar
nationality-tajik = Tojiklar
nationality-turkmen = Turkmanlar
nationality-russian = Ruslar
nationality-ukrainian = Ukrainlar
nationality-tatar = Tatarlar
nationality-karakalpak = Qoraqalpoqlar
nationality-uyghur = Uygʻurlar
nationality-dungan = Dunganlar
nationality-belarusian = Belaruslar
nationality-korean = Koreyslar
nationality-german = Nemislar
