"""English directive records (issue 11): which sentences are directives, their task verb, the
bodies that must act with their roles, and the deadline.  Sentences written for these tests in
the styles English pages of Vietnamese outlets use: wire, portal translation, speech, Q&A."""

import pytest

from directive_nlp import Pipeline

_PIPE = {}


def record(sentence, extractors="rules"):
    """The first directive of a two-line article (a headline, then the sentence), or None."""
    pipe = _PIPE.setdefault(extractors, Pipeline(lang="en", extractors=extractors))
    rec = pipe.extract("Policy news\n" + sentence, lang="en", published="2025-01-01")
    return rec.directives[0] if rec.directives else None


def actors(d):
    return {a.name: a.role for a in d.agencies if a.role in ("lead", "coordinate")}


@pytest.mark.parametrize(
    "sentence",
    [
        # a report of what was done, with an irregular past verb (issue 11 §1)
        "Leaders of the ministry met investors to discuss the delays.",
        "The ministry took measures to stabilise prices last year.",
        "The Department of Health held a conference to review the vaccination campaign.",
    ],
)
def test_not_directives(sentence):
    assert record(sentence) is None


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # the word after "to" is the task verb though the verb lexicon lacks it (issue 11 §2)
        ("The proposal asks the People's Council to approve the list of new projects.", "approve"),
        ("The resolution asks localities to earmark land for social housing.", "earmark"),
        # a verb right after "to" is read, not one after a later "to" (issue 11 §3)
        ("Banks are required to channel credit into farming, while tightly controlling lending to risky areas.", "channel"),
        # a verb ending in -ly is not an adverb
        ("We also ask the Ministry of Health to supply more test kits to the provinces.", "supply"),
        # a capitalized word inside a name is not a verb before the "to"
        ("Assign the Long An Water Supply Company to increase the capacity of its plants.", "increase"),
    ],
)
def test_task_verb(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # reported duty in indirect speech (issue 11 §2): what was said is the clause
        ("Officials said Decree 168 must be enforced without exception.", "enforced"),
        ("The deputy minister noted that schools should publish their fees online.", "publish"),
        # a speaker's verb after the clause is not the start of the clause; "now" is no verb
        ("Laws must now regulate only framework issues, the minister said.", "regulate"),
        ("Schools must close on Friday, said Deputy Minister Nguyen Van Phuc.", "close"),
        # a participle after the subject is not the task verb (issue 11 §3)
        ("Localities applying the new fee schedule must follow the ministry's guidance.", "follow"),
        ("Hospitals serving flood areas must keep enough medicine in stock.", "keep"),
        # an interview: the answer after its speaker tag
        ("A: Localities need to review their land price tables by the end of the year.", "review"),
        # "called for X to V": the task after "to"
        ("The Politburo called for Party committees at all levels to create room for bold officials.", "create"),
    ],
)
def test_task_verb_in_speech_and_lead_ins(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # a lead-in about a document: its issuer is not the subject's list (issue 11 §4)
        ("Implementing Resolution 57 of the Politburo, the Ministry of Science and Technology will launch a data platform.",
         {"Ministry of Science and Technology": "lead"}),
        ("The Politburo called for Party committees at all levels to create room for bold officials.",
         {"Party committees at all levels": "lead"}),
        # an interview's answer: the body after the speaker tag is the subject
        ("A: The Department of Finance must allocate the funds before June 30, 2025.", {"Department of Finance": "lead"}),
    ],
)
def test_acting_bodies(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # "X of the Y": one body, not a body and its parent (issue 11 §4)
        ("The Inspection Commission of the provincial Party Committee must check the declared assets.",
         {"Inspection Commission of the provincial Party Committee": "lead"}),
        ("The Department of Home Affairs coordinates with the Office of the provincial People's Committee to rank the districts.",
         {"Department of Home Affairs": "lead", "Office of the provincial People's Committee": "coordinate"}),
        # "People's Committees of <places>": a collective with a named body in it (spec §3)
        ("People's Committees of coastal districts are required to guide farmers on the new crop calendar.",
         {"People's Committees of coastal districts": "lead"}),
        ("The ministry asked People's Committees of provinces and centrally-run cities to finish the census.",
         {"People's Committees of provinces and centrally-run cities": "lead"}),
        ("The Tax Department works with the State Treasury of Long An to collect arrears.",
         {"Tax Department": "lead", "State Treasury of Long An": "coordinate"}),
    ],
)
def test_bodies_named_with_of(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # an abbreviation in brackets is the same body with the same role
        ("The Department of Natural Resources and Environment (DONRE) presides over and coordinates with the Department of Finance to set land prices.",
         {"Department of Natural Resources and Environment": "lead", "Department of Finance": "coordinate"}),
        # a list of coordinating bodies goes on past an abbreviation and a level word
        ("The Department of Home Affairs presides over and coordinates with the Department of Justice, the Department of Planning "
         "and Investment (DPI), the Department of Finance and the provincial Police to rank the districts.",
         {"Department of Home Affairs": "lead", "Department of Justice": "coordinate", "Department of Planning and Investment": "coordinate",
          "Department of Finance": "coordinate", "provincial Police": "coordinate"}),
    ],
)
def test_coordinate_lists(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles
    assert all(a.role != "mentioned" for a in d.agencies), [(a.name, a.role) for a in d.agencies]


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # a body the gazetteer lacks, named by a lower-case level word and an organ word
        ("The municipal Police will guard the exam papers until the end of the exam.", {"municipal Police": "lead"}),
        ("The Department of Tourism will work with the provincial Inspectorate to check hotel prices.",
         {"Department of Tourism": "lead", "provincial Inspectorate": "coordinate"}),
    ],
)
def test_level_word_and_organ(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # "the Party Committee of the Government" is one body, found though the gazetteer lacks it
        ("The Party Committee of the Government is assigned to lead the drafting of a new decree.", "lead",
         {"Party Committee of the Government": "lead"}),
        # a plural organ word names a collective with a named body in it (spec §3)
        ("Provincial Departments of Health must report vaccination progress every day.", "report", {"Departments of Health": "lead"}),
        # an adjective before the subject does not hide it
        ("The newly-elected Provincial Party Committee must issue its action programme within 60 days.", "issue",
         {"Provincial Party Committee": "lead"}),
        # a body directing others: directing is its task, and the bodies it directs lead too
        ("The Department of Health directs hospitals to accept chip-based ID cards.", "directs", {"Department of Health": "lead"}),
        ("People's Committees of districts direct the commune-level People's Committees to keep a fire watch.", "direct",
         {"People's Committees of districts": "lead", "commune-level People's Committees": "lead"}),
        # a past "directed" is an order given: the addressee leads
        ("The Prime Minister directed the Ministry of Finance to review the fees.", "review", {"Ministry of Finance": "lead"}),
    ],
)
def test_subjects_and_directing(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # "X coordinates with Y to V": the task is V, X leads, Y coordinates (issue 11 §4)
        ("The Department of Health coordinates with the Department of Finance to inspect the private clinics.", "inspect",
         {"Department of Health": "lead", "Department of Finance": "coordinate"}),
        ("He asked the Ministry of Construction to coordinate with the Dong Nai People's Committee to finish the resettlement area.",
         "finish", {"Ministry of Construction": "lead", "Dong Nai People's Committee": "coordinate"}),
        # "coordinate with Y in V-ing": coordinating is the task
        ("The Ministry of Finance will coordinate with the Ministry of Justice in drafting the decree.", "coordinate",
         {"Ministry of Finance": "lead", "Ministry of Justice": "coordinate"}),
        # a second clause with its own body and duty is its own directive (REPORT rule 3): the first
        # record holds only the first clause's body
        ("The Ministry of Finance was told to transfer the money, while the Ministry of Health must buy the vaccines.", "transfer",
         {"Ministry of Finance": "lead"}),
        # a duty with an adverb inside it
        ("The Department of Finance is also asked to allocate VND250 billion for school equipment.", "allocate", {"Department of Finance": "lead"}),
        ("The Vietnam Fatherland Front was urged to step up its campaign for flood victims.", "step up", {"Vietnam Fatherland Front": "lead"}),
    ],
)
def test_coordination_and_second_clauses(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


def test_a_title_is_not_merged_with_its_body():
    d = record("Chairman of the provincial People's Committee Tran Van Nam asked the Department of Finance to act.")
    assert actors(d) == {"Department of Finance": "lead"}


@pytest.mark.parametrize(
    "sentence,deadline",
    [
        # a month alone after a deadline cue takes the publication year (issue 11 §5)
        ("The Department of Transport must finish the draft decree by the end of June.", "2025-06"),
        ("The board has been assigned to complete a capacity study by the end of September.", "2025-09"),
        ("The Ministry of Justice will submit the two decrees to the Government in July.", "2025-07"),
        # a period or a cited document's date does not bound the task
        ("In the 2021-2025 period, the province must build 500 km of rural roads.", None),
        ("Under Decision 123 dated May 5, 2024, the department must submit the plan by September 30, 2025.", "2025-09-30"),
    ],
)
def test_deadline(sentence, deadline):
    d = record(sentence)
    assert d is not None and d.deadline == deadline


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a named body "is to" act: a duty, not a plan figure (issue 11 §2)
        ("The Central Inspection Commission is to monitor the implementation of the resolution.", "monitor"),
        ("Provincial People's Committees are to register their rice areas before December 31, 2023.", "register"),
        # a verb the lexicon lacks after a word of obligation
        ("Hospitals must reserve at least 20% of their beds for dengue patients.", "reserve"),
        ("Tour operators are encouraged to bundle hotel stays with museum tickets.", "bundle"),
    ],
)
def test_more_duties(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence",
    [
        # a figure a plan is to reach is a target, not a directive (spec §5)
        "By 2030, the digital economy is to account for about 20 per cent of GRDP.",
        "Forest coverage is to be maintained at 54 per cent by 2025.",
        # a question (an interview, a headline) is not a directive
        "What should localities do to prepare for the storm?",
    ],
)
def test_not_directives_targets_and_questions(sentence):
    assert record(sentence) is None


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # an unnamed partner after "coordinate with" is not the verb
        ("The Department of Construction will coordinate with district authorities to demolish illegal structures.", "demolish"),
        # "has proposed that X allow …": the auxiliary of an asking verb is not a report
        ("The Department of Transport has proposed that the People's Committee allow taxis to use bus lanes.", "allow"),
    ],
)
def test_partners_and_proposals(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


def test_lower_case_government_is_the_government():
    # issue 11 §4: "the government" written in lower case is the Government
    d = record("The National Assembly asked the government to report on the restructuring of loss-making projects.")
    assert d is not None and actors(d) == {"the government": "lead"}
    assert d.agencies[[a.name for a in d.agencies].index("the government")].canonical == "Government"


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # an irregular past participle after the subject is not the verb ("paid extra classes")
        ("Organisations and individuals providing paid extra classes must register their business.", "register"),
        # "is the standing agency, V …" / "as the lead agency, must V": the role phrase is no verb
        ("The Department of Home Affairs is the standing agency, guides and inspects the communes.", "guides"),
        ("The Ministry of National Defence must be ready to deploy troops and helicopters.", "deploy"),
        # a duty followed by a noun is itself the verb; followed by an -ing verb, the -ing verb is
        ("The Ministry of Education and Training is responsible for school health programmes.", "is responsible for"),
        ("The Deputy Prime Minister was tasked with directly directing ministries to resolve problems.", "directing"),
    ],
)
def test_role_phrases_and_duties(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence",
    [
        # a vision statement opened by a year (issue 11 §1: forecasts and visions)
        "By 2030, the southern region will have a complete network of ring roads and expressways.",
        "By 2030, a fair and transparent legal system will be basically completed.",
        # a document taking effect is not a task
        "Decree 32 takes effect on May 1, 2024 and replaces Decree 68.",
        # page furniture
        "Posting date: 10/09/2025 | Views: 1,546",
    ],
)
def test_not_directives_visions_and_furniture(sentence):
    assert record(sentence) is None


def test_a_year_opening_a_task_stays_a_directive():
    d = record("By 2026, localities must finish relocating the households in landslide areas.")
    assert d is not None and d.verb == "finish"


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # an abbreviation the article defines names the body again later (issue 11 §4)
        ("The State Audit Office of Vietnam (SAV) will audit 150 projects. The SAV will coordinate with the Ministry of Public Security "
         "to speed up the cases.", {"SAV": "lead", "Ministry of Public Security": "coordinate"}),
        # capitalized words the name left out stand between the asking verb and the body
        ("He requested the Provincial Ethnic Committee to preside over the review of the capital plan.", {"Ethnic Committee": "lead"}),
        # "asks X to direct Y to V": X is a person, Y leads
        ("The inspectorate asked the Prime Minister to direct the Khanh Hoa People's Committee to revoke the land decisions.",
         {"Khanh Hoa People's Committee": "lead"}),
    ],
)
def test_abbreviations_and_addressees(sentence, roles):
    pipe = _PIPE.setdefault("rules", Pipeline(lang="en", extractors="rules"))
    rec = pipe.extract("Policy news\n" + sentence, lang="en", published="2025-01-01")
    assert actors(rec.directives[-1]) == roles


def test_a_negated_duty_in_a_quote():
    # quoted speech with a negated duty and a verb the lexicon lacks
    d = record('"Localities must not let people go hungry during Tet," the Prime Minister stressed.')
    assert d is not None and d.verb == "let"


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a noun of action right after the asking verb is the task (issue 11 §3: "called for the N of")
        ("The Prime Minister required the strict implementation of the new fee rules.", "implementation"),
        ("The minister called for stronger inspection of food safety in schools.", "inspection"),
        ("He also urged close coordination between the police and the border guards.", "coordination"),
        # a noun after "the" before a modal is the subject, not the verb
        ("The work must be finished by August 1.", "finished"),
        # an unlisted verb after "must" or "to" keeps its object ("process payment dossiers")
        ("The State Treasury must process payment dossiers within two days.", "process"),
    ],
)
def test_nouns_of_action(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # an aside between the subject and its verb ("X, together with Y, will V")
        ("The Department of Transport, together with the Department of Construction, will advise on the merger plan.", "advise",
         {"Department of Transport": "lead", "Department of Construction": "coordinate"}),
        # a noun after a determiner is not the verb
        ("The board, in coordination with the Department of Finance, completes the procedures.", "completes",
         {"Department of Finance": "coordinate"}),
        # "asked that X be V-ed": the participle is the task
        ("The chairman asked that the scheme be completed in the second quarter of 2025.", "completed", {}),
    ],
)
def test_asides_and_nouns(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a task-list item in the infinitive, as translated portal pages write it
        ("The Quang Ninh Power Company to restore electricity to the whole province before 15/9/2024.", "restore"),
        ("The People's Committees of Dai Tu and Phu Luong districts to develop tea tourism in the tea villages.", "develop"),
        # a document issued that asks for action carries the directive
        ("The Government's action programme, issued under Resolution No. 281/NQ-CP, assigns the Ministry of Education and Training to "
         "preside over the drafting of the law.", "preside over"),
    ],
)
def test_infinitive_items_and_documents_that_ask(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


def test_a_period_opening_is_not_an_infinitive_item():
    assert record("From January to early July, the province recorded 6,140 dengue cases.") is None


def test_a_name_inside_a_longer_name():
    # "The Government | Party Personnel Committee": the gazetteer's "Government" does not swallow the rest
    d = record("The Government Party Personnel Committee is to direct the Government to adopt an action plan.")
    assert "Party Personnel Committee" in actors(d) and actors(d)["Party Personnel Committee"] == "lead"


def test_a_headline_in_the_infinitive_gives_no_target():
    # "City to cut seven departments" is a headline (no full stop), not a task item: no target from it
    pipe = _PIPE.setdefault("rules", Pipeline(lang="en", extractors="rules"))
    rec = pipe.extract("HCM City to cut seven departments from March 1\nThe city will merge its departments.", lang="en", published="2025-02-26")
    assert not [t for t in rec.targets if t.value == 7]


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # "is charged with / entrusted with VERBing": the gerund is the task, the subject leads (issue 11 §3)
        ("The Department of Construction is charged with clearing illegal billboards along the ring road.", "clearing",
         {"Department of Construction": "lead"}),
        ("The Electricity Authority is entrusted with revising the list of grid projects every quarter.", "revising",
         {"Electricity Authority": "lead"}),
    ],
)
def test_charged_and_entrusted_with(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,deadline",
    [
        # "before the end of YEAR" bounds the task (issue 11 §5)
        ("The Party committees must complete the merger of their offices before the end of 2026.", "2026"),
        # a span of days or months: the task must be done by its end
        ("Provincial departments shall check the voter lists from March 10 to April 2, 2025.", "2025-04-02"),
        ("The Ministry of Industry and Trade must keep power supply stable from May to August 2025.", "2025-08"),
        # the day the instruction was given is not its deadline, even with a target in the sentence
        ("The provincial People's Committee on March 3 instructed the district to relocate 200 households.", None),
        ("Visiting the site on April 20, the Chairman asked contractors to add 12 more teams.", None),
        # ... but a day after the task verb still bounds it
        ("The Ministry of Public Security will cut the processing time for visas to three days from October 1, 2025.", "2025-10-01"),
    ],
)
def test_deadline_spans_and_said_on(sentence, deadline):
    d = record(sentence)
    assert d is not None and d.deadline == deadline


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # an item opening with a capitalized "Coordinate with X": X coordinates (issue 11 §4)
        ("c) Coordinate with the Ministry of Finance and the Ministry of Home Affairs to settle the payroll.", "settle",
         {"Ministry of Finance": "coordinate", "Ministry of Home Affairs": "coordinate"}),
        ("Coordinate with the Department of Health to vaccinate the pupils.", "vaccinate",
         {"Department of Health": "coordinate"}),
        # "monitors and urges the work": no body is asked, the subject does both and leads
        ("3. The Department of Home Affairs monitors and urges the rearrangement of the communes.", "monitors",
         {"Department of Home Affairs": "lead"}),
        ("The Provincial Inspectorate checks and urges the recovery of the funds and reports to the Chairman.", "checks",
         {"Provincial Inspectorate": "lead"}),
    ],
)
def test_item_partners_and_joined_urging(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


def test_urging_a_body_to_act_keeps_the_urger_the_issuer():
    d = record("The Department of Home Affairs inspects and urges the district People's Committees to finish the rearrangement.")
    assert d is not None and d.verb == "finish" and actors(d) == {"district People's Committees": "lead"}


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # plan items in translated provincial plans abbreviate the organ word: "Dept.", "Sub-Dept."
        ("3. Dept. of Natural Resources and Environment presides, coordinates with Dept. of Construction to map the landslide zones.",
         {"Dept. of Natural Resources and Environment": "lead", "Dept. of Construction": "coordinate"}),
        ("- Provincial Plant Protection Sub-Dept. presides over the pest survey in the rice fields.",
         {"Plant Protection Sub-Dept.": "lead"}),
    ],
)
def test_abbreviated_organ_words(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a proposal to a higher body is not an order to it: it is only mentioned (issue 11 §4)
        ("The Government proposed that the National Assembly allow the province to keep its surplus revenue.", "allow"),
        ("The committee recommended that the Hanoi People's Council approve the budget estimate.", "approve"),
        ("The deputy suggested that the Ministry of Finance extend the tax cut to the end of next year.", "extend"),
    ],
)
def test_a_proposal_names_no_actor(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == {}


def test_a_promised_proposal_is_the_proposers_task():
    d = record("The provincial People's Committee will propose that the Ministry of Health add two hospitals to the list.")
    assert d is not None and d.verb == "propose" and actors(d) == {"provincial People's Committee": "lead"}


def test_a_proposal_to_no_named_body_is_not_a_directive():
    assert record("Experts recommended that people wear masks in crowded places.") is None


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # "has been told to": the body told leads, like "was told to" (issue 11 §4)
        ("The Department of Health has been told to disinfect the flooded schools within a week.", {"Department of Health": "lead"}),
        ("The People's Committees of coastal communes have been told to move the boats to shelter.",
         {"People's Committees of coastal communes": "lead"}),
    ],
)
def test_has_been_told_to(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # a duty named as a noun, then the body it rests with: the -ing word is the task, the body leads
        ("Responsibility for repairing the school roofs lies with the Department of Education and Training.", "repairing",
         {"Department of Education and Training": "lead"}),
        ("The main responsibility for paying the bonuses rests with the Department of Finance.", "paying", {"Department of Finance": "lead"}),
        # "well" before the verb is an adverb of the translated style, not the task
        ("The Chairman asked all levels and sectors to well implement the flood plan.", "implement", {}),
    ],
)
def test_duty_nouns_and_well(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


def test_a_blame_is_not_a_duty():
    assert record("Responsibility for the delay lies with the investor.") is None


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # "According to <a document that orders>," opens what it asks (a report source still rules out)
        ("According to the telegram, the Department of Agriculture and Environment must inspect all dykes before the storm.", "inspect",
         {"Department of Agriculture and Environment": "lead"}),
        ("According to Directive No. 12/CT-UBND, the People's Committees of districts are tasked with clearing the drains.", "clearing",
         {"People's Committees of districts": "lead"}),
        # only adverbs in -ly between the subject and its verb
        ("Departments and sectors urgently and proactively draft the reports for the council meeting.", "draft", {}),
    ],
)
def test_order_sources_and_adverb_runs(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


def test_according_to_a_body_still_reports():
    assert record("According to the Department of Finance, revenue rose 12% in the first half.") is None


@pytest.mark.parametrize(
    "sentence",
    [
        # an earlier order told as background, in the past perfect
        "Before the storm, the Prime Minister had directed coastal provinces to move residents to safe places.",
        "The ministry had earlier asked schools to stay closed until the water receded.",
        # a meeting hearing reports
        "The meeting heard the report of the Department of Finance on the progress of 12 projects.",
    ],
)
def test_background_orders_and_reports_heard(sentence):
    assert record(sentence) is None


def test_asked_to_direct_another_body():
    # "asked X to direct Y to …": X's task is directing (the verb), X and Y both lead
    d = record("The council asked the Provincial People's Committee to direct the Department of Construction to inspect all old bridges.")
    assert d is not None and d.verb == "direct"
    assert actors(d) == {"Provincial People's Committee": "lead", "Department of Construction": "lead"}


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # an item that opens with "Direct X to …": directing is the item's task, X leads
        ("b) Direct the Department of Health to keep hospital beds ready for the flood season.", "direct", {"Department of Health": "lead"}),
        # "Assign X to …" names X's task instead
        ("Assign the Department of Health to keep hospital beds ready for the flood season.", "keep", {"Department of Health": "lead"}),
    ],
)
def test_direct_opening_an_item(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # "demanded that X …": X leads, the verb after it is the task
        ("The Chairman demanded that the Department of Transport repair the bridge before the rainy season.", "repair",
         {"Department of Transport": "lead"}),
        # a passive subjunctive: the participle after "be" is the task, not a noun of the subject
        ("The Government requested that the savings campaign be reviewed and rewarded by the end of the year.", "reviewed", {}),
    ],
)
def test_demanded_that_and_passive_subjunctive(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # the subject asks for itself: the asking is the task, the body asked only grants it
        ("The province will ask the Government to let it borrow more from the development bank.", "ask"),
        ("The city will propose that the Ministry of Finance allow it to keep the extra land revenue.", "propose"),
    ],
)
def test_asking_for_itself(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == {}


def test_tasked_with_directing_a_body():
    # the body a directing verb names leads too, also after "is tasked with directing"
    d = record("The Provincial People's Committee is tasked with directing the Department of Finance to refund VAT faster.")
    assert d is not None and d.verb == "directing"
    assert actors(d) == {"Provincial People's Committee": "lead", "Department of Finance": "lead"}


def test_a_cue_word_used_as_a_noun_asks_nothing():
    # "tasks" is a noun here, the subject of "are": no one is asked to act
    assert record("Accordingly, the remaining tasks of the last quarter are heavy, deciding the results of the whole year.") is None


def test_tasks_as_a_noun_does_not_make_the_subject_an_issuer():
    d = record("Departments and People's Committees of districts, based on the functions and tasks of each unit, need to follow the new rules.")
    assert d is not None and d.verb == "follow" and actors(d) == {"People's Committees of districts": "lead"}


@pytest.mark.parametrize(
    "sentence",
    [
        # a first word that is a noun, not an order
        "Reports submitted to the council showed that exports grew by 9 per cent.",
        "Pilot schools were chosen in three districts last year.",
        # a participial opening before a speaker: what follows is said, not ordered
        "Reporting at the session, the Director of the Department of Transport said the port had handled 2 million containers.",
    ],
)
def test_openings_that_are_not_orders(sentence):
    assert record(sentence) is None


def test_an_item_in_the_ing_form_stays_a_directive():
    d = record("Developing the digital economy and improving the business climate in every district.")
    assert d is not None and d.verb == "developing"


@pytest.mark.parametrize(
    "sentence",
    [
        # a personal view, not an order
        "In my view, provincial hospitals need to hire more nurses.",
        "But in my opinion, the State should stop funding such projects.",
        # a question reported
        "A deputy asked who would pay for the delays at the new hospital.",
    ],
)
def test_views_and_questions_are_not_directives(sentence):
    assert record(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        # accountability to a superior for results, with no task beside it
        "Heads of departments and Chairpersons of People's Committees of districts are responsible to the Chairman of the Provincial People's Committee for the results.",
        # an explainer's furniture
        "Here is what residents and shop owners need to know."
    ],
)
def test_accountability_and_explainer_lines(sentence):
    assert record(sentence) is None


def test_responsible_to_with_a_verb_stays_a_duty():
    d = record("The Department of Finance is responsible to balance the reserve fund for disease control.")
    assert d is not None and d.verb == "balance"


def test_an_asking_participle_before_a_duty_noun_asks_no_one():
    # "assigned duties and tasks": the participle describes the duties; the task is "perform"
    d = record("Continue to fully and seriously perform assigned duties and tasks with a high sense of responsibility.")
    assert d is not None and d.verb == "perform"


def test_of_which_opens_a_breakdown_not_an_order():
    assert record("Of which, the Ministry of Health and 12 localities (including: Ha Nam, Nam Dinh, Thai Binh) still have 30 proposals that are pending settlement.") is None


def test_advise_opening_an_item_is_the_task():
    d = record("Advise the People's Committees of provinces on organising a campaign to clean up drains in every ward.")
    assert d is not None and d.verb == "advise"


def test_a_participial_phrase_naming_a_body_is_not_the_subject():
    assert record("Presenting the Government's report, the Minister of Finance said revenue had exceeded the estimate by 12 per cent.") is None


def test_a_participle_after_the_subject_has_an_object_not_a_verb():
    # "having works on the list": "works" is the participle's object; the task follows "shall"
    d = record("The People's Committees of districts having works on the list shall finish them before the rainy season.")
    assert d is not None and d.verb == "finish"


def test_a_long_speaker_tag_after_the_clause_closes_it():
    from directive_nlp.extract.clause import read_clause

    text = "Bus operators will have to pool their ticket data with the metro lines, Deputy Director of the city Department of Transport Tran Van Binh said at a press briefing."
    assert read_clause(text, 0, len(text), "en", []).verb == "pool"


@pytest.mark.parametrize(
    "sentence,deadline",
    [
        # the day a school year or a season opens bounds what must be ready before it
        ("Districts must repair all classrooms before the new school year opens on September 5.", "2025-09-05"),
        ("Communes must finish the census before the new term starts on March 2.", "2025-03-02"),
        # "until the end of" bounds a campaign
        ("Wards must run larvae-killing campaigns every week until the end of October.", "2025-10"),
    ],
)
def test_deadlines_of_openings_and_campaigns(sentence, deadline):
    d = record(sentence)
    assert d is not None and d.deadline == deadline


@pytest.mark.parametrize(
    "sentence,verb,roles",
    [
        # a document sent or signed that urges or asks bodies to act carries a directive
        ("The Ministry of Health has sent an official letter asking the People's Committees of provinces to step up flu vaccination.", "step up",
         {"People's Committees of provinces": "lead"}),
        ("The Prime Minister has signed a dispatch urging ministries and localities to speed up the disbursement of public investment.", "speed up", {}),
    ],
)
def test_documents_that_urge_or_ask(sentence, verb, roles):
    d = record(sentence)
    assert d is not None and d.verb == verb and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a verb phrase whose last word ends in -s is not a noun opening ("Put emphasis on …")
        ("Put emphasis on preventing waste and resolving complaints in every ward.", "put emphasis"),
        # the tasks of the sentence before, continued
        ("This includes reviewing the lists of poor households and paying the allowances on time.", "reviewing"),
    ],
)
def test_phrasal_openings_and_continued_tasks(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # "X and/or Y" is one list of bodies: both act (round 2, fresh batches)
        ("The Department of Finance and/or the Department of Construction must publish the land prices.",
         {"Department of Finance": "lead", "Department of Construction": "lead"}),
        ("The Ministry of Industry and Trade and/or the State Bank of Vietnam will review the gold rules.",
         {"Ministry of Industry and Trade": "lead", "State Bank of Vietnam": "lead"}),
    ],
)
def test_and_or_lists(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # the agent of a passive task leads when no body is its subject (round 2, fresh batches)
        ("The design must be reviewed by the Ministry of Construction before work starts.", {"Ministry of Construction": "lead"}),
        ("The land prices must be published by the Department of Finance before June 30.", {"Department of Finance": "lead"}),
        # a subject that acts keeps the lead; the body after "by" of another verb does not act
        ("The Department of Health must report the cases confirmed by the Pasteur Institute.", {"Department of Health": "lead"}),
    ],
)
def test_passive_agent_leads(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


def directives_of(sentence):
    pipe = _PIPE.setdefault("rules", Pipeline(lang="en", extractors="rules"))
    return pipe.extract("Policy news\n" + sentence, lang="en", published="2025-01-01").directives


@pytest.mark.parametrize(
    "sentence,records",
    [
        # clauses with their own body and duty are one directive each (REPORT rule 3; round 2)
        ("The Department of Health is to test the tap water, and the Department of Construction will direct the water companies to add tanks.",
         [("test", {"Department of Health": "lead"}), ("direct", {"Department of Construction": "lead"})]),
        ("The Provincial Police must patrol the beaches, while the Department of Tourism is asked to publish room prices.",
         [("patrol", {"Provincial Police": "lead"}), ("publish", {"Department of Tourism": "lead"})]),
        # after ";", a named body with a verb of its own in the present tense
        ("The Department of Health ensures medicines for the flooded communes; the Department of Finance allocates funds for their allowances.",
         [("ensures", {"Department of Health": "lead"}), ("allocates", {"Department of Finance": "lead"})]),
        # a clause left open before the comma shares its task with the next: one directive
        ("The Department of Finance shall take charge of, and the Department of Health shall take part in, checking the drug prices.",
         [("take charge", None)]),
    ],
)
def test_clauses_with_their_own_bodies(sentence, records):
    got = [(d.verb, actors(d)) for d in directives_of(sentence)]
    assert [verb for verb, _ in got] == [verb for verb, _ in records]
    assert all(want is None or roles == want for (_, roles), (_, want) in zip(got, records))


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # a level word the next name leaves out keeps the list whole: both bodies act (round 2)
        ("The Provincial Youth Union and the Provincial Women's Union shall collect old clothes for flood victims.",
         {"Youth Union": "lead", "Women's Union": "lead"}),
        ("The Provincial Police and the Provincial Military Command must guard the relief warehouses.",
         {"Provincial Police": "lead", "Military Command": "lead"}),
    ],
)
def test_level_word_between_listed_bodies(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # "X's Y": the unit Y acts, the possessor X is only named (round 2)
        ("The SBV's Inspection and Supervision Agency must inspect gold traders before June 30.", {"Inspection and Supervision Agency": "lead"}),
        ("The SBV's Credit Department will inspect loans to property developers before June 30.", {"Credit Department": "lead"}),
    ],
)
def test_possessor_is_not_the_actor(sentence, roles):
    d = record(sentence, extractors="ensemble")  # the default: its name model finds the owned unit
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a duty phrase with "be" or "given the task of": the task is the -ing word after it (round 2)
        ("The Ministry of Agriculture and Environment will be responsible for issuing the guidelines in 2026.", "issuing"),
        ("The Department of Tourism was given the task of organising promotion events in the second quarter.", "organising"),
    ],
)
def test_duty_phrases_with_be_and_given(sentence, verb):
    d = record(sentence)
    assert d is not None and d.verb == verb


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # "X was instructed / ordered / directed to V": X is told to act, it leads (not the issuer)
        ("The Department of Finance was instructed to publish the land prices.", {"Department of Finance": "lead"}),
        ("The Provincial Police were ordered to close the flooded roads.", {"Provincial Police": "lead"}),
    ],
)
def test_passive_orders_make_the_body_lead(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,roles",
    [
        # a time phrase opening the clause without a comma stands before the subject (round 2)
        ("This year the Ministry of Finance will finalise the draft decree on public assets.", {"Ministry of Finance": "lead"}),
        ("From now on the Department of Construction must answer every permit request within ten days.", {"Department of Construction": "lead"}),
    ],
)
def test_time_opener_before_the_subject(sentence, roles):
    d = record(sentence)
    assert d is not None and actors(d) == roles


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a quantifier floated after the modal is not a determiner of the verb after it
        ("The People's Committees of the three coastal districts must each identify the villages short of water.", "identify"),
        ("The Department of Finance and the Department of Construction shall all review the cost estimates.", "review"),
        # a hyphenated verb right after "to" or a modal
        ("The Department of Agriculture is assigned to spot-check the quality of rice seed at ports.", "spot-check"),
    ],
)
def test_floated_quantifier_and_hyphenated_verbs(sentence, verb):
    assert record(sentence).verb == verb


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # a verb's base form before a plural noun in the subject modifies the noun ("water supply companies")
        ("The Power Corporation and the water supply companies must ensure steady service during the exams.", "ensure"),
        ("The Department of Transport and the bus service operators must add night routes before the festival.", "add"),
    ],
)
def test_verb_form_modifying_a_subject_noun(sentence, verb):
    assert record(sentence).verb == verb


@pytest.mark.parametrize(
    "sentence,verb",
    [
        # working with an unnamed partner, with no "to" and task after it, is the task itself
        ("The Department of Industry and Trade must work with retail chains so that shoppers bring their own bags.", "work"),
        # a partner followed by "to" and its task: that task is the verb
        ("The Department of Industry and Trade must work with retail chains to cut plastic bag use.", "cut"),
    ],
)
def test_working_with_a_partner_as_the_task(sentence, verb):
    assert record(sentence).verb == verb
