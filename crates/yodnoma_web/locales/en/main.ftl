# yodnoma: the user interface in English. Every key here exists in ru, kk and uz too.

site-name = yodnoma
site-tagline = A book of remembrance: the people of Central Asia in the Second World War
skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-search = Search the registry
nav-exhibitions = Exhibitions
language-label = Language
footer-text = yodnoma keeps the memory of those who served, worked and suffered in the war: soldiers, home-front workers, evacuees, partisans and prisoners of war, from draft lists, loss reports, award sheets and museum collections.
footer-api = Open data: JSON API

home-title = Book of remembrance
home-intro = Over four million people from Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan and Turkmenistan were drafted in the war; about one and a half million did not come back. Their traces are scattered across draft lists, loss reports, award sheets and museum catalogues, in many spellings. Search for a person by any spelling, and visit the exhibitions that show their faces.
home-search-title = Find a person
home-exhibitions-title = Exhibitions
home-registry-title = The registry
count-persons = { $count ->
    [one] { $count } person
   *[other] { $count } persons
}
count-records = { $count ->
    [one] from { $count } source record
   *[other] from { $count } source records
}

search-title = Search the registry
search-label = Surname, given name or patronymic, in any order
search-button = Search
search-results = { $count ->
    [one] { $count } person found
   *[other] { $count } persons found
}
search-none = No person was found for “{ $query }”. Try fewer letters or another spelling.
search-empty = Type a name to search: a surname, a given name, or both.
search-score = match
search-records = { $count ->
    [one] { $count } record
   *[other] { $count } records
}
pagination-label = Pages
pagination-previous = Previous
pagination-next = Next
pagination-page = Page { $page } of { $pages }

person-facts = Facts
person-born = Born
person-died = Died
person-birth-place = Place of birth
person-region = Region
person-country = Country today
person-nationality = Nationality
person-category = Part in the war
person-rank = Rank
person-unit = Unit
person-fate = Fate
person-burial = Burial place
person-awards = Awards
person-names = Name as written in the sources
person-records = Source records
person-exhibits = In the exhibitions
names-form = Name
names-script = Script
names-sources = Sources
record-source = Source
record-id = Record

category-served = Served in the armed forces
category-home_front = Home-front worker
category-evacuee = Evacuee
category-partisan = Partisan
category-pow = Prisoner of war
category-civilian = Civilian

fate-survived = Survived the war
fate-killed = Killed in action
fate-missing = Missing in action
fate-died_of_wounds = Died of wounds
fate-died_later = Died after the war

award-hero = Hero of the Soviet Union
award-glory-full = Full Cavalier of the Order of Glory
award-lenin = Order of Lenin
award-red-banner = Order of the Red Banner
award-glory-1 = Order of Glory, 1st class
award-glory-2 = Order of Glory, 2nd class
award-glory-3 = Order of Glory, 3rd class
award-patriotic-war-1 = Order of the Patriotic War, 1st class
award-patriotic-war-2 = Order of the Patriotic War, 2nd class
award-red-star = Order of the Red Star
award-medal-courage = Medal “For Courage”
award-medal-battle-merit = Medal “For Battle Merit”
award-medal = Medal
award-other = Other award

column-surname = Surname
column-given_name = Given name
column-patronymic = Patronymic
column-birth_date = Date of birth
column-death_date = Date of death
column-award_date = Date of award
column-birth_place = Place of birth
column-region = Region
column-country = Country
column-category = Category
column-nationality = Nationality
column-rank = Rank
column-unit = Unit
column-award = Award
column-fate = Fate
column-death_place = Place of death
column-burial_place = Burial place
column-source_ref = Reference
column-notes = Notes

exhibitions-title = Exhibitions
exhibitions-none = No exhibition is published yet.
exhibition-open = Visit the exhibition
exhibition-sections = Sections
exhibit-creator = Creator
exhibit-date = Date
exhibit-technique = Technique
exhibit-dimensions = Dimensions
exhibit-institution = Holding institution
exhibit-inventory = Inventory number
exhibit-rights = Rights
exhibit-depicts = Depicts
exhibit-shown-in = Shown in
exhibit-placeholder = Placeholder: the museum has not added the original image yet.
exhibit-details = About this exhibit
viewer-label = Image zoom
viewer-zoom-in = Zoom in
viewer-zoom-out = Zoom out
viewer-home = Whole image
viewer-full-page = Full screen
viewer-zoom-status = Shown at { $percent }% of the original size
viewer-keys = On the image: the arrow keys move, + and − zoom, 0 shows the whole image.

error-not-found-title = Page not found
error-not-found-text = There is nothing at this address. The link may be broken, or the page may have moved.
error-bad-request-title = The request could not be understood
error-internal-title = Something went wrong
error-internal-text = The server could not answer. The problem has been logged; please try again later.
error-back-home = Back to the home page

script-Cyrl = Cyrillic
script-Latn = Latin
script-Mixed = Mixed scripts
script-Zyyy = No letters

column-workplace = Workplace
column-evacuated_from = Evacuated from
column-evacuated_to = Evacuated to
column-award_dates = Dates of awards
column-source = Document
column-true_person = Person (synthetic data)

error-bad-request-text = The address holds a value that could not be read:

search-filters = Narrow the search
search-born-from = Born from (year)
search-born-to = Born until (year)
search-fate = Fate
search-award = Award
search-any = Any
search-did-you-mean = Did you mean
search-how = How the name matched
search-narrow = Narrow the results
search-facet-fate = By fate
search-facet-award = By award
search-facet-decade = By decade of birth
search-facet-region = By region
search-decade = born in the { $decade }s
search-born = born { $year }
match-exact = the same spelling
match-spelling = the same name, spelled another way
match-transliteration = the same name in another script
match-standard = written in { $standard }
match-phonetic = sounds alike
match-fuzzy = { $count ->
    [one] { $count } letter differs
   *[other] { $count } letters differ
}
match-initial = initial
match-record_initial = the record gives only the initial

login-title = Sign in
login-text = For the museum's and archive's staff: curators, moderators and administrators. Accounts are made by the operator.
login-email = E-mail
login-password = Password
login-submit = Sign in
login-link = Staff sign-in
login-wrong = The e-mail or the password is not right.
login-throttled = Too many failed attempts. Wait a quarter of an hour and try again.
logout = Sign out
review-title = Pairs to review
review-intro = Each pair is two source records that may describe one person. The table shows what each field added to the evidence (in bits: positive for one person, negative against); the probability is the sum of them. Decide, and the decision holds on every later run of linkage.
review-waiting = { $count ->
    [one] One pair waits for review.
   *[other] { $count } pairs wait for review.
}
review-none = No pairs wait for review.
review-probability = Probability of one person
review-field = Field
review-agreement = Agreement
review-weight = Weight
review-prior = Before any field (prior)
review-same = One person: merge
review-apart = Different persons
review-decisions = Decisions
review-undone = undone
review-undo = Undo
review-decided-same = one person
review-decided-apart = different persons
person-split = Split this record off
person-linked = Why these records are one person
person-linked-text = Linkage compared the records pair by pair. Each table shows what each field added (in bits) and the resulting probability.
error-forbidden-title = Not allowed
level-exact = exact
level-same-name-other-spelling-or-script = same name, other spelling or script
level-sounds-alike = sounds alike
level-close-spelling = close spelling
level-initial-or-partly-alike = initial or partly alike
level-different = different
level-one-digit-or-day-and-month-swapped = one digit differs, or day and month swapped
level-same-year-and-month = same year and month
level-same-year = same year
level-year-1 = year ±1
level-same-place-other-spelling = same place, other spelling
level-similar = similar
level-one-keystroke = one keystroke apart
level-nearly-equal = nearly equal
level-missing = missing
review-held-apart = Likely, but held apart: another record of one of them is clearly someone else.

login-sign-up = New here, with a family story to share?
signup-title = Make an account
signup-text = With an account you can share your family's stories and photos of a person in the registry. A moderator reads each one before it appears, beside the official records and never in place of them.
signup-name = Your name as it will be shown
signup-name-hint = Shown with what you share, for example "Aigerim, granddaughter". Your e-mail is never shown.
signup-email-hint = To sign in; never shown to anyone.
signup-password-again = The same password again
signup-submit = Make the account
nav-account-mine = My contributions
nav-account-moderation = Moderation
nav-account-review = Review
nav-account-audit = Audit log
contribute-title = Share a family story
contribute-about = About
contribute-text = A moderator reads it before it is shown on the person's page, as the family's memory beside the records. You will see the decision under "My contributions".
contribute-story-title = Title
contribute-body = The story
contribute-body-hint = Plain text; *italics*, **bold**, lists and links work as in Markdown.
contribute-relation = Your relation to the person
contribute-dates = Dates the story speaks of
contribute-places = Places the story speaks of
contribute-photo = A photo or document (optional)
contribute-photo-hint = JPEG, PNG, TIFF or WebP, at most { $mb } MB. Where the photo was taken is never shown.
contribute-photo-alt = What the photo shows (needed with a photo)
contribute-rights = Rights
contribute-rights-hint = Who may reuse the photo and text, for example "family archive, shared for this site" or "CC BY 4.0".
contribute-consent = I hold the rights to what I send, and I agree that it is published on this site after moderation.
contribute-submit = Send for moderation
report-title = Report a problem
report-link = Report a problem with this page
report-text = A name spelt wrongly, a wrong date, two persons mixed up: tell the museum about
report-body = What is wrong, and what is right
report-contact = How to reach you (optional)
report-contact-hint = Only the moderators see it.
report-submit = Send the report
report-sent = Thank you: the report waits for a moderator.
mine-title = My contributions
mine-sent = Thank you: your story waits for a moderator.
mine-none = You have not sent anything yet.
mine-person = the person
mine-reason = Why it was not published
mine-note = The moderator's note
moderation-title = Moderation
moderation-waiting = { $count ->
    [one] One contribution waits.
   *[other] { $count } contributions wait.
}
moderation-note = Note on your edits (shown with the story)
moderation-approve = Approve and publish
moderation-reason = Reason (the contributor reads it)
moderation-reject = Reject
moderation-deleted = Deleted
moderation-restore = Restore
moderation-delete = Delete
contribution-kind-story = Story
contribution-kind-report = Report of a problem
contribution-status-pending = Waiting for a moderator
contribution-status-approved = Published
contribution-status-rejected = Not published
contribution-by-staff = the museum's staff
audit-title = Audit log
audit-when = When
audit-who = Who
audit-what = What
audit-subject = Of what
audit-before = Before
audit-after = After
family-title = Family memories
family-about = Shared by relatives and checked by the museum's moderators. They stand beside the official records and do not change them.
family-shared-by = Shared by
family-edited = Edited by a moderator
family-share = Share a family story
propose-title = Tell us about a person the registry lacks
propose-text = Not every soldier, worker or evacuee is in the lists the museum has. Tell us who they were; a moderator checks what you send, and the person then joins the registry as a record of the families' source.
propose-person = The person
propose-date-hint = Dates as YYYY, YYYY-MM or YYYY-MM-DD.
propose-link = Not in the registry? Tell us about the person
moderation-proposes = Proposes a person the registry lacks:
person-elsewhere = Elsewhere
api-docs-title = The JSON API
api-docs-text = Every operation of the JSON API, generated from the code; the same as OpenAPI 3.1 for tools:
api-docs-parameter = Parameter
api-docs-meaning = Meaning (* required)
nav-statistics = Statistics
stats-title = Statistics of the registry
stats-text = The registry holds
stats-note = Counted from the records: a person whose records disagree (two regions, two years of death) is counted in each. Only the largest groups are shown; all of them, with filters, come from the API.
stats-api = The statistics API
stats-none = No record says.
stats-count = Persons
stats-share = Share of the largest group
stats-by-republic = By republic
stats-by-fate = By fate
stats-by-award = By award
stats-by-birth-decade = By decade of birth
stats-by-death-year = By year of death
stats-by-nationality = By nationality
stats-decade = { $decade }s
republic-kazakhstan = Kazakhstan
republic-uzbekistan = Uzbekistan
republic-kyrgyzstan = Kyrgyzstan
republic-tajikistan = Tajikistan
republic-turkmenistan = Turkmenistan
nationality-kazakh = Kazakh
nationality-uzbek = Uzbek
nationality-kyrgyz = Kyrgyz
nationality-tajik = Tajik
nationality-turkmen = Turkmen
nationality-russian = Russian
nationality-ukrainian = Ukrainian
nationality-tatar = Tatar
nationality-karakalpak = Karakalpak
nationality-uyghur = Uyghur
nationality-dungan = Dungan
nationality-belarusian = Belarusian
nationality-korean = Korean
nationality-german = German
