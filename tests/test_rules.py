"""Every rule of the catalogue fails, passes and stays out of the way exactly where the handbook says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from guide import ROOT
from guide.case.model import Case
from guide.content.loader import load_content
from guide.errors import ContentError
from guide.steps.findings import STATUS_ORDER, check, diagnose, fix_text, word
from guide.steps.registry import SEVERITIES, Result, UndeclaredVariant, all_rules
from guide.text import placeholders

RULES_MD = ROOT / "docs" / "RULES.md"
SHARED_RULES_MD = ROOT.parent / "shared" / "RULES.md"


# -- small cases ---------------------------------------------------------------------------------------------

TODAY = "2026-11-28"  # a Saturday; every case is judged on a fixed day
PERSON = {"name": "Esep Handleiding", "country": "NL", "role": "teacher"}
LOGIN = {"email": "esephandleiding@gmail.com", "email_kind": "private", "confirmed": True}
ACCOUNT = {"id": 2124634, "email": "esephandleiding@gmail.com", "origin": "new", "joined_etwinning": True,
           "policies_accepted": True, "status": "validated", "submitted_on": "2026-10-01"}
PROFILE = {"available_for_projects": True, "description": "Docent Engels", "subjects": ["Engels"],
           "languages": ["nl", "en"], "photo": {"type": "jpg", "size_mb": 2.5}}
SCHOOL = {"id": 900101, "name": "Sandbox College Utrecht", "city": "Utrecht", "country": "NL",
          "etwinning_validated": True, "role": "teacher", "principal_up_to_date": True}
ANNA = {"name": "Anna Kowalska", "country": "PL", "status": "accepted", "validated": True,
        "available_for_projects": True}


def case(**sections: Any) -> dict[str, Any]:
    return {"version": 1, "today": TODAY, **sections}


def acc(**over: Any) -> dict[str, Any]:
    return {**ACCOUNT, **over}


def teacher(**over: Any) -> dict[str, Any]:
    """A validated Dutch teacher with a complete profile and a validated school."""
    return {**case(person=PERSON, eu_login=LOGIN, accounts=[ACCOUNT], profile=PROFILE, organisations=[SCHOOL]),
            **over}


def project(**over: Any) -> dict[str, Any]:
    """A running Dutch-Polish project the teacher founded with Anna Kowalska."""
    return {"title": "Postcards from Europe 2026-2027", "role": "founder", "founder": "self",
            "cofounders": [{"name": "Anna Kowalska", "invitation": "accepted"}], "status": "active",
            "nso_approvals": {"NL": "approved", "PL": "approved"}, "short_description": "Kaarten uit Europa",
            "aims": "Leerlingen schrijven korte teksten in het Engels.", "work_process": "Oktober: kaarten",
            "expected_results": "Een openbare TwinSpace", **over}


def with_project(contacts: list | None = None, today: str = TODAY, wants: list | None = None,
                 person: dict | None = None, profile: dict | None = None, **over: Any) -> dict[str, Any]:
    return teacher(today=today, wants=wants or [], person=person or PERSON, profile=profile or PROFILE,
                   contacts=[ANNA] if contacts is None else contacts, projects=[project(**over)])


def space(**over: Any) -> dict[str, Any]:
    return {"pages": [{"title": "Kennismaking", "visibility": "members"}], "materials": [], "twinboard_items": [],
            "members": [], **over}


F, P, N = "fail", "pass", "not_applicable"
PENDING = acc(status="pending", submitted_on="2026-11-26")   # Thursday: due Monday 30 November
DRAFT = {"status": "draft"}
NOT_CONTACT = [{**ANNA, "status": "request_sent"}]
POLE = {"name": "Anna", "country": "PL", "role": "teacher"}  # no NSO address on file: fixes send her to ESEP's list

CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    # -- EU Login (ch. 1)
    ("eu_login.missing", F, "nothing yet", case()),
    ("eu_login.missing", P, "an EU Login", teacher()),
    ("eu_login.unconfirmed", F, "the link in the e-mail not clicked", case(eu_login={**LOGIN, "confirmed": False})),
    ("eu_login.unconfirmed", P, "confirmed", case(eu_login=LOGIN)),
    ("eu_login.unconfirmed", N, "no EU Login", case()),
    ("eu_login.work_email", F, "a school address", case(eu_login={**LOGIN, "email_kind": "school"})),
    ("eu_login.work_email", F, "a school address, the address itself not given (the troubleshooter's question)",
     case(eu_login={"email_kind": "school", "confirmed": True})),
    ("eu_login.work_email", P, "a private address", case(eu_login=LOGIN)),
    ("eu_login.work_email", N, "kind of address not known", case(eu_login={"email": "x@y.example", "confirmed": True})),
    # -- the account (ch. 2)
    ("account.missing", F, "EU Login but no account", case(eu_login=LOGIN)),
    ("account.missing", P, "an account", teacher()),
    ("account.missing", N, "no EU Login yet", case()),
    ("account.email_mismatch", F, "another address on the account",
     teacher(accounts=[acc(email="e.handleiding@school.example")])),
    ("account.email_mismatch", P, "the same address, other case", teacher(accounts=[acc(email="EsepHandleiding@gmail.com")])),
    ("account.email_mismatch", N, "no account", case(eu_login=LOGIN)),
    ("account.not_joined", F, "'Join eTwinning' not clicked", teacher(accounts=[acc(joined_etwinning=False, status="pending")])),
    ("account.not_joined", P, "joined", teacher()),
    ("account.not_joined", N, "no account", case(eu_login=LOGIN)),
    ("account.policies_not_accepted", F, "declaration not ticked",
     teacher(accounts=[acc(policies_accepted=False, status="pending", submitted_on=None)])),
    ("account.policies_not_accepted", P, "declaration ticked", teacher()),
    ("account.policies_not_accepted", N, "the form comes after 'Join eTwinning'",
     teacher(accounts=[acc(joined_etwinning=False, policies_accepted=False, status="pending")])),
    ("account.rejected", F, "rejected by the NSO", teacher(accounts=[acc(status="rejected")])),
    ("account.rejected", F, "rejected, NSO address unknown", teacher(person=POLE, accounts=[acc(status="rejected")])),
    ("account.rejected", P, "validated", teacher()),
    ("account.rejected", N, "no account", case(eu_login=LOGIN)),
    ("account.old_email_unknown", F, "an old account's address forgotten",
     teacher(accounts=[acc(id=1045678, origin="imported", email="", email_known=False), ACCOUNT])),
    ("account.old_email_unknown", F, "forgotten, NSO address unknown",
     teacher(person=POLE, accounts=[acc(id=1045678, origin="imported", email="", email_known=False), ACCOUNT])),
    ("account.old_email_unknown", P, "every address known", teacher()),
    ("account.old_email_unknown", N, "no account", case(eu_login=LOGIN)),
    ("account.duplicate", F, "an imported and a new account",
     teacher(accounts=[acc(id=1045678, origin="imported", activity={"projects": 4}), ACCOUNT])),
    ("account.duplicate", F, "the new account is the active one",
     teacher(accounts=[acc(id=1045678, origin="imported", activity={"projects": 0}),
                       acc(activity={"projects": 3})])),
    ("account.duplicate", F, "the old account has projects, the new one none",
     teacher(accounts=[acc(id=1045678, origin="imported", activity={"projects": 4}), acc(activity={"projects": 0})])),
    ("account.duplicate", F, "one address forgotten, a Polish teacher: the ESEP list of NSOs",
     teacher(person={**PERSON, "country": "PL"}, organisations=[],
             accounts=[acc(id=1045678, origin="imported", email="", email_known=False), ACCOUNT])),
    ("account.duplicate", F, "two accounts, one address forgotten",
     teacher(accounts=[acc(id=1045678, origin="imported", email="", email_known=False), ACCOUNT])),
    ("account.duplicate", P, "the other one deactivated",
     teacher(accounts=[acc(id=1045678, origin="imported", status="deactivated"), ACCOUNT])),
    ("account.duplicate", N, "no account", case(eu_login=LOGIN)),
    ("account.deactivated", F, "the only account deactivated", teacher(accounts=[acc(status="deactivated")])),
    ("account.deactivated", P, "a live account", teacher()),
    ("account.deactivated", N, "no account", case(eu_login=LOGIN)),
    ("account.pending_validation", F, "submitted Thursday, judged Saturday", teacher(accounts=[PENDING])),
    ("account.pending_validation", F, "submitted, date not known", teacher(accounts=[acc(status="pending", submitted_on=None)])),
    ("account.pending_validation", F, "no country known: weekends only",
     teacher(person={"name": "Esep"}, organisations=[], accounts=[PENDING])),
    ("account.pending_validation", P, "past the due date: overdue instead", teacher(today="2026-12-01", accounts=[PENDING])),
    ("account.pending_validation", N, "validated", teacher()),
    ("account.validation_overdue", F, "submitted a week ago", teacher(accounts=[acc(status="pending", submitted_on="2026-11-20")])),
    ("account.validation_overdue", F, "overdue, NSO address unknown",
     teacher(person=POLE, accounts=[acc(status="pending", submitted_on="2026-11-20")])),
    ("account.validation_overdue", P, "still within 2 working days", teacher(accounts=[PENDING])),
    ("account.validation_overdue", N, "not submitted yet",
     teacher(accounts=[acc(status="pending", policies_accepted=False)])),
    ("account.validation_overdue", N, "submission date not known", teacher(accounts=[acc(status="pending", submitted_on=None)])),
    ("account.login_problem", F, "EU Login and account fine, cannot log in",
     teacher(eu_login={**LOGIN, "can_log_in": False})),
    ("account.login_problem", F, "cannot log in, no account yet", case(eu_login={**LOGIN, "can_log_in": False})),
    ("account.login_problem", F, "cannot log in, the address not given",
     teacher(eu_login={"confirmed": True, "can_log_in": False})),
    ("account.login_problem", F, "cannot log in, no account yet, the address not given",
     case(eu_login={"confirmed": True, "can_log_in": False})),
    ("account.login_problem", P, "can log in", teacher(eu_login={**LOGIN, "can_log_in": True})),
    ("account.login_problem", N, "not said whether the teacher can log in", teacher()),
    ("account.login_problem", N, "EU Login not confirmed: that comes first",
     case(eu_login={**LOGIN, "confirmed": False, "can_log_in": False})),
    ("account.teacher_training", F, "a student teacher", teacher(person={**PERSON, "role": "student_teacher"})),
    ("account.teacher_training", F, "a Polish student teacher", teacher(person={**POLE, "role": "student_teacher"})),
    ("account.teacher_training", P, "a teacher", teacher()),
    ("account.teacher_training", N, "role not given", teacher(person={"name": "Esep", "country": "NL"})),
    ("account.change_login_email", F, "wants to change the login address", teacher(wants=["change_login_email"])),
    ("account.change_login_email", N, "wants nothing", teacher()),
    ("account.delete", F, "wants to delete the account", teacher(wants=["delete_account"])),
    ("account.delete", F, "wants to delete, NSO address unknown", teacher(person=POLE, wants=["delete_account"])),
    ("account.delete", N, "wants nothing", teacher()),
    # -- profile and school (ch. 3)
    ("profile.not_available", F, "box not ticked", teacher(profile={**PROFILE, "available_for_projects": False})),
    ("profile.not_available", P, "box ticked", teacher()),
    ("profile.not_available", N, "no profile yet", case(eu_login=LOGIN, accounts=[ACCOUNT])),
    ("profile.incomplete", F, "no description", teacher(profile={**PROFILE, "description": "  "})),
    ("profile.incomplete", P, "complete", teacher()),
    ("profile.incomplete", N, "no profile yet", case(eu_login=LOGIN)),
    ("profile.photo_rejected", F, "an 11 MB photo", teacher(profile={**PROFILE, "photo": {"type": "jpg", "size_mb": 11}})),
    ("profile.photo_rejected", F, "a bmp", teacher(profile={**PROFILE, "photo": {"type": "bmp", "size_mb": 1}})),
    ("profile.photo_rejected", F, "a 12 MB bmp", teacher(profile={**PROFILE, "photo": {"type": "bmp", "size_mb": 12}})),
    ("profile.photo_rejected", P, "exactly 10 MB, JPEG", teacher(profile={**PROFILE, "photo": {"type": "JPEG", "size_mb": 10}})),
    ("profile.photo_rejected", N, "no photo", teacher(profile={**PROFILE, "photo": None})),
    ("school.missing", F, "no school", teacher(organisations=[])),
    ("school.missing", P, "a school", teacher()),
    ("school.missing", N, "no account to add it to", case(eu_login=LOGIN)),
    ("school.missing", N, "the search found nothing: school.not_found speaks (contact the NSO first)",
     teacher(organisations=[], school_search={"city": "Dokkum", "found": False})),
    ("school.missing", F, "the search found the school, not added yet",
     teacher(organisations=[], school_search={"city": "Dokkum", "found": True})),
    ("school.not_validated", F, "the entry that is not 'eTwinning Validated'",
     teacher(organisations=[{**SCHOOL, "etwinning_validated": False}])),
    ("school.not_validated", P, "validated", teacher()),
    ("school.not_validated", N, "no school", teacher(organisations=[])),
    ("school.not_found", F, "not in the list for Aalst", teacher(school_search={"city": "Aalst", "found": False})),
    ("school.not_found", F, "not in the list, city not known", teacher(school_search={"found": False})),
    ("school.not_found", F, "not in the list for Kraków, NSO address unknown",
     teacher(person=POLE, school_search={"city": "Kraków", "found": False})),
    ("school.not_found", F, "not found, city and NSO address unknown", teacher(person=POLE, school_search={"found": False})),
    ("school.not_found", P, "found", teacher(school_search={"city": "Utrecht", "found": True})),
    ("school.not_found", N, "no search described", teacher()),
    ("school.company_staff_role", F, "'Company Staff'", teacher(organisations=[{**SCHOOL, "role": "company_staff"}])),
    ("school.company_staff_role", F, "another role", teacher(organisations=[{**SCHOOL, "role": "other"}])),
    ("school.company_staff_role", P, "teacher", teacher()),
    ("school.company_staff_role", N, "no school", teacher(organisations=[])),
    ("school.role_missing", F, "no role chosen", teacher(organisations=[{**SCHOOL, "role": ""}])),
    ("school.role_missing", P, "teacher", teacher()),
    ("school.role_missing", N, "no school", teacher(organisations=[])),
    ("school.principal_outdated", F, "principal out of date", teacher(organisations=[{**SCHOOL, "principal_up_to_date": False}])),
    ("school.principal_outdated", P, "up to date", teacher()),
    ("school.principal_outdated", N, "no school", teacher(organisations=[])),
    ("school.change", F, "wants to change school", teacher(wants=["change_school"])),
    ("school.change", F, "wants to change school, none on the profile", teacher(wants=["change_school"], organisations=[])),
    ("school.change", N, "wants nothing", teacher()),
    ("browser.try_another", F, "Edge, adding a partner", teacher(person={**PERSON, "browser": "edge"}, wants=["add_partner"])),
    ("browser.try_another", P, "Chrome, adding a partner", teacher(person={**PERSON, "browser": "chrome"}, wants=["add_partner"])),
    ("browser.try_another", N, "Edge, but not stuck on anything", teacher(person={**PERSON, "browser": "edge"})),
    # -- partners and contacts (ch. 5, 6)
    ("partners.none", F, "only a Dutch contact", teacher(wants=["create_project"], contacts=[{**ANNA, "country": "NL"}])),
    ("partners.none", F, "no contacts at all", teacher(wants=["create_project"], contacts=[])),
    ("partners.none", N, "a request abroad is on its way: the request rules speak",
     teacher(wants=["create_project"], contacts=NOT_CONTACT)),
    ("partners.none", N, "a foreign contact's request waits for the teacher: contacts.request_received speaks",
     teacher(wants=["create_project"], contacts=[{**ANNA, "status": "request_received"}])),
    ("partners.none", P, "a Polish contact", teacher(wants=["create_project"], contacts=[ANNA])),
    ("partners.none", N, "not creating a project", teacher()),
    ("contacts.request_pending", F, "co-founder's request not accepted", with_project(contacts=NOT_CONTACT, **DRAFT)),
    ("contacts.request_pending", F, "the founder of the draft the teacher is to co-found has not accepted",
     with_project(contacts=NOT_CONTACT, role="cofounder", founder="Anna Kowalska", cofounders=[], **DRAFT)),
    ("contacts.request_pending", P, "accepted", with_project()),
    ("contacts.request_pending", N, "no co-founder named", teacher(contacts=NOT_CONTACT)),
    ("contacts.request_received", F, "Anna asked the teacher", teacher(contacts=[{**ANNA, "status": "request_received"}])),
    ("contacts.request_received", P, "only accepted contacts and own requests", teacher(contacts=[ANNA, *NOT_CONTACT])),
    ("contacts.request_received", N, "no contacts", teacher()),
    ("contacts.request_received", N, "the co-founder's request: project.cofounder_not_contact speaks",
     with_project(contacts=[{**ANNA, "status": "request_received"}], **DRAFT)),
    ("partners.not_in_cofounder_list", F, "a contact who did not tick the box is not offered",
     teacher(wants=["create_project"], contacts=[{**ANNA, "available_for_projects": False}])),
    ("partners.not_in_cofounder_list", F, "a request not accepted yet", teacher(wants=["create_project"], contacts=NOT_CONTACT)),
    ("partners.not_in_cofounder_list", P, "every contact can be chosen", teacher(wants=["create_project"], contacts=[ANNA])),
    ("partners.not_in_cofounder_list", N, "not creating a project", teacher(contacts=NOT_CONTACT)),
    ("partners.not_in_cofounder_list", N, "no contacts yet", teacher(wants=["create_project"])),
    ("partners.not_in_cofounder_list", N, "the only contact is the co-founder: the project rules speak",
     with_project(contacts=[{**ANNA, "available_for_projects": False}], wants=["create_project"], **DRAFT)),
    ("partners.not_in_cofounder_list", N, "the only contact asked the teacher: contacts.request_received speaks",
     teacher(wants=["create_project"], contacts=[{**ANNA, "status": "request_received"}])),
    # -- registering a project (ch. 7)
    ("project.founder_not_validated", F, "pending account, creating a project",
     teacher(accounts=[PENDING], wants=["create_project"])),
    ("project.founder_not_validated", P, "validated", teacher(wants=["create_project"])),
    ("project.founder_not_validated", N, "not creating a project", teacher(accounts=[PENDING])),
    ("project.cofounder_not_contact", F, "co-founder not in contacts", with_project(contacts=[], **DRAFT)),
    ("project.cofounder_not_contact", N, "the teacher's request not accepted: contacts.request_pending speaks",
     with_project(contacts=NOT_CONTACT, **DRAFT)),
    ("project.cofounder_not_contact", F, "the founder of the draft the teacher is to co-found is not a contact",
     with_project(contacts=[], role="cofounder", founder="Anna Kowalska", cofounders=[], **DRAFT)),
    ("project.cofounder_not_contact", F, "Anna's request not accepted by the teacher",
     with_project(contacts=[{**ANNA, "status": "request_received"}], **DRAFT)),
    ("project.cofounder_not_contact", P, "an accepted contact", with_project(**DRAFT)),
    ("project.cofounder_not_contact", N, "the project runs already", with_project(contacts=[])),
    ("project.cofounder_not_validated", F, "co-founder not validated", with_project(contacts=[{**ANNA, "validated": False}], **DRAFT)),
    ("project.cofounder_not_validated", P, "validated", with_project(**DRAFT)),
    ("project.cofounder_not_validated", N, "co-founder unknown", with_project(contacts=[], **DRAFT)),
    ("project.cofounder_not_available", F, "a co-founder who did not tick the box is not offered",
     with_project(contacts=[{**ANNA, "available_for_projects": False}], **DRAFT)),
    ("project.cofounder_not_available", P, "box ticked", with_project(**DRAFT)),
    ("project.cofounder_not_available", N, "no projects", teacher(contacts=[ANNA])),
    ("project.invitation_pending", F, "Anna has not accepted", with_project(status="pending",
     cofounders=[{"name": "Anna Kowalska", "invitation": "pending"}])),
    ("project.invitation_pending", F, "the teacher is the invited co-founder", with_project(
     role="cofounder", founder="Anna Kowalska", status="pending", cofounders=[{"name": "self", "invitation": "pending"}])),
    ("project.invitation_pending", P, "accepted", with_project()),
    ("project.invitation_pending", N, "no projects", teacher()),
    ("project.invitation_declined", F, "Anna declined", with_project(status="pending",
     cofounders=[{"name": "Anna Kowalska", "invitation": "declined"}])),
    ("project.invitation_declined", P, "accepted", with_project()),
    ("project.invitation_declined", N, "no co-founder", with_project(cofounders=[], **DRAFT)),
    ("project.not_submitted", F, "the form filled in, 'Create' not clicked", with_project(wants=["create_project"], **DRAFT)),
    ("project.not_submitted", P, "submitted, waiting for the NSOs", with_project(wants=["create_project"], status="pending")),
    ("project.not_submitted", N, "not creating a project", with_project(**DRAFT)),
    ("project.not_submitted", N, "no project started yet", teacher(wants=["create_project"])),
    ("project.awaiting_nso", F, "the Polish NSO has not approved", with_project(
     status="pending", nso_approvals={"NL": "approved", "PL": "pending"})),
    ("project.awaiting_nso", F, "pending, countries not known", with_project(status="pending", nso_approvals={})),
    ("project.awaiting_nso", P, "both approved, invitation still open", with_project(status="pending")),
    ("project.awaiting_nso", N, "active", with_project()),
    ("project.national_only", F, "a Dutch co-founder", with_project(contacts=[{**ANNA, "country": "NL"}], nso_approvals={"NL": "approved"})),
    ("project.national_only", P, "a Polish co-founder", with_project()),
    ("project.national_only", N, "co-founder's country not known", with_project(contacts=[], nso_approvals={})),
    ("project.title_symbols", F, "<Postcards> *2026*", with_project(title="<Postcards> *2026*", **DRAFT)),
    ("project.title_symbols", P, "letters, numbers, a hyphen and Erasmus+", with_project(title="Erasmus+ Postcards 2026-2027", **DRAFT)),
    ("project.title_symbols", N, "no project being registered", teacher()),
    ("project.title_without_year", F, "repeated, no year", with_project(title="Postcards from Europe", repeat_next_year=True)),
    ("project.title_without_year", P, "repeated, 2026/27 in the title", with_project(title="Postcards 2026/27", repeat_next_year=True)),
    ("project.title_without_year", N, "not repeated", with_project(title="Postcards from Europe")),
    ("project.missing_fields", F, "empty aims", with_project(aims=" ", **DRAFT)),
    ("project.missing_fields", P, "all filled in", with_project(**DRAFT)),
    ("project.missing_fields", N, "no project being registered", with_project()),
    ("project.abstract_aims", F, "'European dimension of education'",
     with_project(aims="Strengthen the European dimension of education.", **DRAFT)),
    ("project.abstract_aims", P, "specific aims", with_project(**DRAFT)),
    ("project.abstract_aims", N, "no aims yet", with_project(aims="", **DRAFT)),
    ("project.founders_final", F, "a draft", with_project(**DRAFT)),
    ("project.founders_final", F, "a draft without co-founder", with_project(cofounders=[], **DRAFT)),
    ("project.founders_final", N, "submitted", with_project(status="pending")),
    # -- members and TwinSpace (ch. 7d, 9)
    ("twinspace.member_not_in_project", F, "Jan is not a contact", with_project(
     twinspace=space(members=[{"name": "Jan Peeters", "in_project": False}]))),
    ("twinspace.member_not_in_project", F, "Anna not available", with_project(
     contacts=[{**ANNA, "available_for_projects": False}], twinspace=space(members=[{"name": "Anna Kowalska", "in_project": False}]))),
    ("twinspace.member_not_in_project", F, "Anna added to the TwinSpace only", with_project(
     twinspace=space(members=[{"name": "Anna Kowalska", "in_project": False}]))),
    ("twinspace.member_not_in_project", F, "one not a contact, one not available", with_project(
     contacts=[{**ANNA, "available_for_projects": False}], twinspace=space(members=[
         {"name": "Jan Peeters", "in_project": False}, {"name": "Anna Kowalska", "in_project": False}]))),
    ("twinspace.member_not_in_project", P, "in the project", with_project(
     twinspace=space(members=[{"name": "Anna Kowalska", "in_project": True}]))),
    ("twinspace.member_not_in_project", N, "no teacher members", with_project(twinspace=space())),
    ("twinspace.no_pages", F, "active, no pages", with_project(twinspace=space(pages=[]))),
    ("twinspace.no_pages", P, "a page", with_project(twinspace=space())),
    ("twinspace.no_pages", N, "still pending", with_project(status="pending", twinspace=space(pages=[]))),
    ("twinspace.public_pupil_content", F, "public pupils' work, no consent", with_project(twinspace=space(
     pages=[{"title": "Kennismaking", "visibility": "public", "pupil_content": True}],
     members=[{"name": "Pupil 1", "kind": "pupil", "consent": False}]))),
    ("twinspace.public_pupil_content", P, "every pupil has consent", with_project(twinspace=space(
     pages=[{"title": "Kennismaking", "visibility": "public", "pupil_content": True}],
     members=[{"name": "Pupil 1", "kind": "pupil", "consent": True}]))),
    ("twinspace.public_pupil_content", N, "pupils' work for members only", with_project(twinspace=space(
     pages=[{"title": "Kennismaking", "visibility": "members", "pupil_content": True}]))),
    ("twinspace.pupils_without_consent", F, "pupils' pictures on a page, a pupil without consent", with_project(
     twinspace=space(pages=[{"title": "Kennismaking", "pupil_content": True}],
                     members=[{"name": "Pupil 1", "kind": "pupil", "consent": False}]))),
    ("twinspace.pupils_without_consent", F, "a TwinBoard photo of pupils, a pupil without consent", with_project(
     twinspace=space(twinboard_items=[{"title": "Klas", "image": "klas.jpg", "shows_pupils": True}],
                     materials=[{"name": "klas.jpg"}], members=[{"name": "Pupil 1", "kind": "pupil", "consent": False}]))),
    ("twinspace.pupils_without_consent", P, "consent", with_project(twinspace=space(
     materials=[{"name": "klas.jpg", "shows_pupils": True}], members=[{"name": "Pupil 1", "kind": "pupil"}]))),
    ("twinspace.pupils_without_consent", N, "a pupil without consent, but no pictures of pupils", with_project(
     twinspace=space(members=[{"name": "Pupil 1", "kind": "pupil", "consent": False}]))),
    ("twinspace.pupils_without_consent", N, "no pupils", with_project(twinspace=space())),
    ("twinspace.image_not_in_materials", F, "foto2.jpg not uploaded", with_project(twinspace=space(
     materials=[{"name": "foto1.jpg"}], twinboard_items=[{"title": "Hallo", "image": "foto2.jpg"}]))),
    ("twinspace.image_not_in_materials", P, "uploaded first", with_project(twinspace=space(
     materials=[{"name": "foto2.jpg"}], twinboard_items=[{"title": "Hallo", "image": "foto2.jpg"}]))),
    ("twinspace.image_not_in_materials", N, "text only", with_project(twinspace=space(
     twinboard_items=[{"title": "Hallo"}]))),
    ("twinspace.pupil_login", F, "wants to add pupils", teacher(wants=["add_pupils"])),
    ("twinspace.pupil_login", F, "has pupils", with_project(twinspace=space(members=[{"name": "Pupil 1", "kind": "pupil"}]))),
    ("twinspace.pupil_login", N, "no pupils", with_project(twinspace=space())),
    ("twinspace.closed", F, "editing a closed project", with_project(status="closed", wants=["edit_project"])),
    ("twinspace.closed", F, "a member editing a closed project", with_project(role="member", founder="Anna Kowalska",
                                                                            status="closed", wants=["edit_project"])),
    ("twinspace.closed", F, "a member editing a closed project, founders not named", with_project(
     role="member", founder="", cofounders=[], status="closed", wants=["edit_project"])),
    ("twinspace.closed", P, "editing an active project", with_project(wants=["edit_project"])),
    ("twinspace.closed", N, "not editing", with_project(status="closed")),
    # -- rooms, groups, closing, labels (ch. 10-12)
    ("group.pending_css", F, "waiting for the CSS", teacher(groups=[{"title": "CLIL in Europe", "status": "pending"}])),
    ("group.pending_css", P, "active", teacher(groups=[{"title": "CLIL in Europe", "status": "active"}])),
    ("group.pending_css", N, "no groups", teacher()),
    ("room.not_creator", F, "someone else's room", teacher(wants=["edit_room"], rooms=[{"title": "Maths teachers", "creator": "other"}])),
    ("room.not_creator", P, "own room", teacher(wants=["edit_room"], rooms=[{"title": "Maths teachers", "creator": "self"}])),
    ("room.not_creator", N, "not editing", teacher(rooms=[{"title": "Maths teachers", "creator": "other"}])),
    ("project.close_not_founder", F, "a member", with_project(role="member", founder="Anna Kowalska", wants=["close_project"])),
    ("project.close_not_founder", F, "a member, founders not named",
     with_project(role="member", founder="", cofounders=[], wants=["close_project"])),
    ("project.close_not_founder", P, "the founder", with_project(wants=["close_project"])),
    ("project.close_not_founder", N, "not closing", with_project(role="member", founder="Anna Kowalska")),
    ("project.reopen", F, "wants to reopen", with_project(status="closed", wants=["reopen_project"])),
    ("project.reopen", N, "wants nothing", with_project(status="closed")),
    ("label.national_project", F, "NQL for a Dutch-only project", with_project(
     contacts=[{**ANNA, "country": "NL"}], nso_approvals={"NL": "approved"}, status="closed", wants=["apply_nql"])),
    ("label.national_project", F, "NQL for a Dutch-only project the teacher co-founded", with_project(
     role="cofounder", founder="Jan Modaal", cofounders=[{"name": "self", "invitation": "accepted"}],
     contacts=[{**ANNA, "name": "Jan Modaal", "country": "NL"}], nso_approvals={"NL": "approved"}, status="closed",
     wants=["apply_nql"])),
    ("label.national_project", P, "NQL for a Dutch-Polish project", with_project(status="closed", wants=["apply_nql"])),
    ("label.national_project", N, "no label wanted", with_project(contacts=[{**ANNA, "country": "NL"}], nso_approvals={"NL": "approved"})),
    ("label.eql_not_requested", F, "applying for the EQL", with_project(wants=["apply_eql"])),
    ("label.eql_not_requested", N, "applying for the NQL", with_project(wants=["apply_nql"])),
    ("label.school_label_expired", F, "awarded June 2023", teacher(labels=[{"kind": "school_label", "awarded_on": "2023-06-01"}])),
    ("label.school_label_expired", P, "awarded two years ago to the day",
     teacher(labels=[{"kind": "school_label", "awarded_on": "2024-11-28"}])),
    ("label.school_label_expired", N, "no school label", teacher(labels=[{"kind": "NQL", "awarded_on": "2023-06-01"}])),
]

#: Rules that cannot have one of the three outcomes, and why. The meta-test accepts only these gaps.
ALWAYS_APPLIES = {"eu_login.missing": "every teacher needs an EU Login: there is no case it does not concern"}
#: Info rules that explain what the teacher wants to do: when they apply, they have something to say.
NEVER_PASSES = {
    "account.change_login_email": "explains how, whenever the teacher wants it",
    "account.delete": "explains how, whenever the teacher wants it",
    "school.change": "explains how, whenever the teacher wants it",
    "project.reopen": "explains how, whenever the teacher wants it",
    "label.eql_not_requested": "the EQL is never applied for",
    "twinspace.pupil_login": "explains the pupil login whenever pupils are involved",
    "project.founders_final": "a reminder before 'Create' for every draft",
}


def result(rule_id: str, data: dict[str, Any]):
    return check(Case.model_validate(data), [rule_id])[rule_id]


def fix(rule_id: str, data: dict[str, Any], lang: str) -> str:
    """The fix as the JSON output carries it (no Markdown escaping), line breaks folded into spaces."""
    rule = all_rules()[rule_id]
    return " ".join(word(rule, result(rule_id, data), load_content(lang), escape=lambda s: s).fix.split())


# -- the table: every rule fails, passes and is not applicable somewhere ---------------------------------

@pytest.mark.parametrize(("rule_id", "expected", "what", "data"), CASES,
                         ids=[f"{r}:{e}:{w}" for r, e, w, _ in CASES])
def test_rule_status(rule_id, expected, what, data):
    assert result(rule_id, data).status == expected, what


def test_every_declared_fix_variant_is_produced_by_a_case_and_no_other():
    rules = all_rules()
    produced: dict[str, set] = {}
    for rid, _what, data in FAILING:
        produced.setdefault(rid, set()).add(rules[rid](Case.model_validate(data)).variant)
    declared = {rid: set(r.variants) or {None} for rid, r in rules.items() if rid in produced}
    assert produced == declared


def test_every_rule_has_a_failing_a_passing_and_a_not_applicable_case():
    covered = {(r, e) for r, e, _, _ in CASES}
    excused = {(r, N) for r in ALWAYS_APPLIES} | {(r, P) for r in NEVER_PASSES}
    lacking = [f"{rid}: {status}" for rid in all_rules() for status in STATUS_ORDER
               if (rid, status) not in covered | excused]
    assert not lacking, "rules without a test case:\n" + "\n".join(lacking)
    stale = sorted((covered & excused) | ({r for r, _ in excused} - set(all_rules())))
    assert not stale, f"excused but tested (or unknown): {stale}"


@pytest.mark.parametrize("rule_id", sorted(NEVER_PASSES))
def test_an_explaining_rule_fires_whenever_it_applies(rule_id):
    statuses = {e for r, e, _, _ in CASES if r == rule_id}
    assert statuses == {F, N}


def test_the_table_names_only_registered_rules():
    assert {r for r, *_ in CASES} <= set(all_rules())


def _catalogue_ids(text: str) -> list[str]:
    return re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", text, flags=re.M)


def test_the_registry_holds_exactly_the_catalogue():
    ids = _catalogue_ids(RULES_MD.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)) == 60
    assert set(all_rules()) == set(ids)


def test_docs_rules_md_is_the_shared_catalogue():
    # the public contract lives beside the repository in the shared checkout; the copy must not drift
    if SHARED_RULES_MD.exists():
        assert RULES_MD.read_text(encoding="utf-8") == SHARED_RULES_MD.read_text(encoding="utf-8")
    assert _catalogue_ids(RULES_MD.read_text(encoding="utf-8"))


# -- texts: both languages, every variant, every placeholder supplied ------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_rule_has_a_title_and_a_fix(lang):
    texts = load_content(lang).rule_texts
    missing = [rid for rid in all_rules() if rid not in texts or not texts[rid].title or not texts[rid].fix]
    assert not missing


FAILING = [(r, w, d) for r, e, w, d in CASES if e == "fail"]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("rule_id", "what", "data"), FAILING, ids=[f"{r}:{w}" for r, w, _ in FAILING])
def test_every_failing_case_renders_with_all_its_facts(rule_id, what, data, lang):
    res = result(rule_id, data)
    template = load_content(lang).rule_texts[rule_id].fix
    if isinstance(template, dict):
        assert res.variant in template, f"variant {res.variant!r} has no text"
        template = template[res.variant]
    else:
        assert res.variant is None
    assert placeholders(template) <= set(res.facts), f"facts not supplied: {placeholders(template) - set(res.facts)}"
    text = fix(rule_id, data, lang)
    assert text and "{" not in text and "}" not in text


# -- the fix names the teacher's own data ------------------------------------------------------------------

def not_available_cofounder():
    return with_project(status="draft", contacts=[{"name": "Anna Kowalska", "country": "PL",
                                                   "available_for_projects": False}])


def test_a_cofounder_who_did_not_tick_the_box_is_named():
    data = not_available_cofounder()
    assert "Anna Kowalska" in fix("project.cofounder_not_available", data, "nl")
    assert "'Available for eTwinning project'" in fix("project.cofounder_not_available", data, "en")


def test_a_pending_polish_nso_is_named_in_the_readers_language():
    data = with_project(status="pending", nso_approvals={"NL": "approved", "PL": "pending"})
    assert "Polen" in fix("project.awaiting_nso", data, "nl")
    assert "Poland" in fix("project.awaiting_nso", data, "en")
    assert "Nederland" not in fix("project.awaiting_nso", data, "nl")


def test_the_validation_due_date_is_written_out():
    data = teacher(today="2026-11-30", accounts=[acc(status="pending", submitted_on="2026-11-30")])
    assert "**2 december 2026**" in fix("account.pending_validation", data, "nl")
    assert "**December 2, 2026**" in fix("account.pending_validation", data, "en")
    assert "Nederland" in fix("account.pending_validation", data, "nl")


def test_overdue_validation_names_the_dutch_nso():
    data = teacher(accounts=[acc(status="pending", submitted_on="2026-11-20")])
    text = fix("account.validation_overdue", data, "nl")
    for fact in ("etwinning@nuffic.nl", "070 42 60 392", "https://etwinning.nl/contact", "2124634",
                 "Sandbox College Utrecht", "24 november 2026"):
        assert fact in text


def test_overdue_validation_without_a_known_nso_points_to_the_esep_list():
    data = teacher(person={"name": "Anna", "country": "PL"}, accounts=[acc(status="pending", submitted_on="2026-11-20")])
    text = fix("account.validation_overdue", data, "en")
    assert "https://school-education.ec.europa.eu/en/etwinning" in text
    assert "'About' > 'Contact and support' > 'National Support Organisations'" in text
    assert "nuffic" not in text


def test_empty_project_fields_are_named_in_the_readers_language():
    data = with_project(status="draft", aims="", work_process=" ")
    assert "doelen ('Aims') en werkwijze ('Work process')" in fix("project.missing_fields", data, "nl")
    assert "'Aims' and 'Work process'" in fix("project.missing_fields", data, "en")


def test_an_incomplete_profile_names_what_is_missing():
    data = teacher(profile={"available_for_projects": True, "subjects": ["Engels"]})
    assert "beschrijving, talen en profielfoto" in fix("profile.incomplete", data, "nl")


@pytest.mark.parametrize(("photo", "variant", "named"), [
    ({"type": "jpg", "size_mb": 12}, "too_big", "12 MB"),
    ({"type": "bmp", "size_mb": 1}, "wrong_type", "'bmp'"),
    ({"type": "tiff", "size_mb": 11.5}, "both", "11.5 MB"),
])
def test_a_rejected_photo_names_the_broken_limit(photo, variant, named):
    data = teacher(profile={"available_for_projects": True, "photo": photo})
    assert result("profile.photo_rejected", data).variant == variant
    assert named in fix("profile.photo_rejected", data, "en")


def test_the_school_is_named():
    data = teacher(organisations=[{"name": "GOI Lyceum Aalst", "country": "BE", "role": "company_staff",
                                   "etwinning_validated": True}])
    assert "GOI Lyceum Aalst" in fix("school.company_staff_role", data, "nl")


def test_an_expired_school_label_names_award_and_expiry():
    data = teacher(labels=[{"kind": "school_label", "awarded_on": "2023-06-01"}])
    text = fix("label.school_label_expired", data, "nl")
    assert "1 juni 2023" in text and "1 juni 2025" in text


@pytest.mark.parametrize(("today", "year"), [("2026-11-28", "2026-2027"), ("2027-03-01", "2026-2027"),
                                             ("2027-08-20", "2027-2028")])
def test_the_suggested_school_year_follows_today(today, year):
    data = with_project(today=today, title="Postcards from Europe", repeat_next_year=True)
    assert year in fix("project.title_without_year", data, "en")


def test_members_in_the_twinspace_only_are_named_with_their_reason():
    data = with_project(contacts=[{"name": "Marie Dupont", "country": "FR", "available_for_projects": False}],
                        twinspace={"members": [{"name": "Jan Peeters", "in_project": False},
                                               {"name": "Marie Dupont", "in_project": False}]})
    assert result("twinspace.member_not_in_project", data).variant == "mixed"
    text = fix("twinspace.member_not_in_project", data, "nl")
    assert "Jan Peeters: jullie zijn geen contactpersonen" in text
    assert "Marie Dupont: heeft 'Available for eTwinning project' niet aangevinkt" in text


@pytest.mark.parametrize(("old", "new", "option"), [(4, 0, "option_1"), (0, 3, "option_2"), (1, 5, "option_2")])
def test_the_duplicate_fix_recommends_the_handbooks_option(old, new, option):
    data = teacher(accounts=[acc(id=1045678, origin="imported", activity={"projects": old}),
                             acc(id=2124634, origin="new", activity={"projects": new})])
    assert result("account.duplicate", data).variant == option
    nl = fix("account.duplicate", data, "nl")
    if option == "option_1":
        assert "Log in met je nieuwe EU Login en verwijder je nieuwe account." in nl
        assert "Je nieuwe account wordt verwijderd." in nl
    else:
        assert "Je komt mogelijk niet meer in aanmerking voor labels en awards." in nl
        assert "'Deactivate profile'" in nl


@pytest.mark.parametrize(("old", "new", "option"), [
    ({"projects": 1}, {"projects": 0}, "option_1"),          # one old project is activity; new one none
    ({"projects": 4}, {"projects": 1}, "option_2"),          # both used: not 'hardly use the new platform'
    ({}, {"projects": 0}, "option_2"),                       # old activity not known: no option 1
    ({"projects": 4}, {}, "option_2"),                       # new activity not known: no option 1
    ({"groups": 2}, {"projects": 0}, "option_2"),            # groups alone are not what option 1 is about
    ({"labels": 1}, {"projects": 0, "twinspaces": 0}, "option_1"),
])
def test_option_1_only_when_the_old_account_has_activity_and_the_new_none(old, new, option):
    data = teacher(accounts=[acc(id=1045678, origin="imported", activity=old),
                             acc(id=2124634, origin="new", activity=new)])
    assert result("account.duplicate", data).variant == option


def test_an_account_whose_address_is_forgotten_goes_to_the_nso_not_to_option_1():
    data = teacher(accounts=[acc(id=1045678, origin="imported", email="", email_known=False,
                                 activity={"projects": 6}), acc(id=2124634, activity={"projects": 0})])
    res = result("account.duplicate", data)
    assert res.variant == "unknown_email_nso" and res.actor == "nso"
    nl = fix("account.duplicate", data, "nl")
    assert "etwinning@nuffic.nl" in nl and "1045678" in nl
    assert "houd je oude account" not in nl and "EU Login met het e-mailadres van je oude account" not in nl
    en = fix("account.duplicate", data, "en")
    assert "to have the account removed" in en and "keep your old account**" not in en


@pytest.mark.parametrize(("lang", "one", "two"), [("nl", "1 project", "2 projecten"), ("en", "1 project", "2 projects")])
def test_counts_use_the_languages_plural_rules(lang, one, two):
    data = teacher(accounts=[acc(id=1045678, origin="imported", activity={"projects": 1, "twinspaces": 0,
                                                                         "groups": 0, "labels": 0}),
                             acc(id=2124634, activity={"projects": 2, "twinspaces": 0, "groups": 0, "labels": 0})])
    text = fix("account.duplicate", data, lang)
    assert one in text and two in text
    assert "1 projecten" not in text and "1 projects" not in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_counts_the_case_does_not_give_are_never_printed_as_0(lang):
    data = teacher(accounts=[acc(id=1045678, origin="imported", activity={"groups": 2, "labels": 1}),
                             acc(id=2124634)])
    text = fix("account.duplicate", data, lang)
    assert " 0 " not in text and "(0" not in text
    assert {"nl": "2 groepen, 1 label en", "en": "2 groups, 1 label, and"}[lang] in text
    assert {"nl": "activiteit onbekend", "en": "activity unknown"}[lang] in text
    assert {"nl": "de rest is niet bekend", "en": "the rest is not known"}[lang] in text


def test_a_received_contact_request_is_approved_under_notifications_not_sent_again():
    text = fix("contacts.request_received", teacher(contacts=[{**ANNA, "status": "request_received"}]), "nl")
    assert "Anna Kowalska" in text and "belletje" in text and "goed te keuren" in text
    data = with_project(contacts=[{**ANNA, "status": "request_received"}], wants=["create_project"], **DRAFT)
    cof = fix("project.cofounder_not_contact", data, "en")
    assert "Add as contact" not in cof and "approve the contact request" in cof
    assert result("project.cofounder_not_contact", data).actor is None  # the rule's own: the teacher


def test_a_sent_request_waits_for_the_partner_and_is_one_finding():
    data = with_project(contacts=NOT_CONTACT, wants=["create_project"], **DRAFT)
    failing = [f for f in diagnose(Case.model_validate(data), "en") if f.status == "fail"]
    about_anna = [f for f in failing if "Anna Kowalska" in f.fix and f.rule != "project.founders_final"]
    assert [f.rule for f in about_anna] == ["contacts.request_pending"]
    finding = about_anna[0]
    assert finding.actor == "partner" and finding.who == ("Anna Kowalska",)
    assert "Add as contact" not in finding.fix and "'Notifications'" in finding.fix


@pytest.mark.parametrize(("contact", "winner"), [
    ({"status": "request_sent"}, "contacts.request_pending"),
    ({"status": "request_received"}, "project.cofounder_not_contact"),
    ({"validated": False}, "project.cofounder_not_validated"),
    ({"available_for_projects": False}, "project.cofounder_not_available"),
])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_fact_about_the_co_founder_is_one_finding(contact, winner, lang):
    """'One fact, one finding' (guide/steps/partners.py): the narrowest rule names the co-founder; partners.none,
    partners.not_in_cofounder_list and the contact-request rules do not repeat it."""
    data = with_project(contacts=[{**ANNA, **contact}], wants=["create_project"], **DRAFT)
    failing = [f for f in diagnose(Case.model_validate(data), lang) if f.status == "fail"]
    # project.founders_final names her too, for another fact: the founders cannot be changed afterwards
    assert [f.rule for f in failing if "Anna Kowalska" in f.fix and f.rule != "project.founders_final"] == [winner]
    assert not {"partners.none", "partners.not_in_cofounder_list"} & {f.rule for f in failing}


def test_the_co_founder_list_names_each_missing_contact_with_its_reason():
    data = teacher(wants=["create_project"], contacts=[
        ANNA, {**ANNA, "name": "Jan Kowalski", "validated": False},
        {**ANNA, "name": "Marie Dupont", "country": "FR", "available_for_projects": False},
        {**ANNA, "name": "Lars Berg", "country": "SE", "status": "request_sent"}])
    text = fix("partners.not_in_cofounder_list", data, "en")
    assert "Jan Kowalski (account not validated yet)" in text
    assert "Marie Dupont (has not ticked 'Available for eTwinning project')" in text
    assert "Lars Berg (has not approved your contact request yet)" in text
    assert "Anna Kowalska" not in text
    assert result("partners.not_in_cofounder_list", data).who == ("Jan Kowalski", "Marie Dupont", "Lars Berg")


def test_a_declined_invitation_is_not_waiting_for_the_nso():
    data = with_project(status="pending", nso_approvals={"NL": "approved", "PL": "pending"},
                        cofounders=[{"name": "Anna Kowalska", "invitation": "declined"}])
    assert result("project.invitation_declined", data).status == "fail"
    text = fix("project.invitation_declined", data, "nl")
    assert "Anna Kowalska" in text and "niet meer aanpassen" in text and "NSO" in text


def test_login_problems_go_to_esep_contact_and_support():
    data = teacher(eu_login={**LOGIN, "can_log_in": False})
    assert result("account.login_problem", data).variant == "only"
    text = fix("account.login_problem", data, "en")
    assert "Contact and support" in text and "nuffic" not in text
    other = teacher(eu_login={**LOGIN, "can_log_in": False}, accounts=[acc(email="other@school.example")])
    assert result("account.login_problem", other).variant == "after_others"


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("rule_id, login", [
    ("account.login_problem", {"confirmed": True, "can_log_in": False}),
    ("account.login_problem", {"email": "", "confirmed": True, "can_log_in": False}),
    ("eu_login.work_email", {"email_kind": "school", "confirmed": True}),
])
def test_a_fix_without_the_address_says_no_address_not_unknown(rule_id, login, lang):
    # the troubleshooter asks whether you can log in and which kind of address, never the address itself
    for data in (teacher(eu_login=login), case(eu_login=login)):
        text = fix(rule_id, data, lang)
        assert text and "unknown" not in text and "onbekend" not in text and "()" not in text
        assert ("EU Login" in text) and ("{" not in text)
    named = fix(rule_id, teacher(eu_login={**login, "email": "anna@school.example"}), lang)
    assert "anna@school.example" in named


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("rule_id, accounts", [
    ("account.old_email_unknown", [{"id": 1045678, "email_known": False}]),
    ("account.duplicate", [{"id": 1045678, "origin": "imported", "email": "", "email_known": False},
                           {"id": 2124634, "origin": "new"}]),
])
def test_what_to_send_the_nso_never_lists_a_fact_as_unknown(rule_id, accounts, lang):
    # 'your name (unknown)' in a list of what to write to the NSO reads as something to send: the case gives
    # no name and no school here, so the text names what to give, without a value in brackets
    bare = case(eu_login=LOGIN, accounts=[acc(**a) for a in accounts])
    text = fix(rule_id, bare, lang)
    assert text and "unknown" not in text and "onbekend" not in text and "()" not in text and "{" not in text
    assert ("your name and the name of your school" in text) if lang == "en" else \
        ("je naam en de naam van je school" in text)
    named = fix(rule_id, {**bare, "person": PERSON, "organisations": [SCHOOL]}, lang)
    assert f"({PERSON['name']})" in named and f"({SCHOOL['name']})" in named and "1045678" in named


def test_closing_names_the_founders_from_the_case():
    data = with_project(role="member", founder="Fulana de Tal", cofounders=[{"name": "Erika Mustermann"}],
                        wants=["close_project"])
    res = result("project.close_not_founder", data)
    assert res.who == ("Fulana de Tal", "Erika Mustermann")
    assert "Fulana de Tal en Erika Mustermann" in fix("project.close_not_founder", data, "nl")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_text_claims_only_founders_reopen(lang):
    texts = load_content(lang).rule_texts
    for rid in ("twinspace.closed", "project.reopen"):
        fixes = texts[rid].fix if isinstance(texts[rid].fix, dict) else {"": texts[rid].fix}
        for text in fixes.values():
            assert "Alleen de founder" not in text and "Only the founder" not in text, rid


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_text_shows_an_invented_platform_label(lang):
    for rid, text in load_content(lang).rule_texts.items():
        body = str(text.fix)
        assert "Select the co-founder" not in body, rid
        assert "contact-and-support" not in body, rid


# -- who acts (RULES.md version 2) -------------------------------------------------------------------------

def test_every_rule_declares_who_can_fix_it():
    from guide.steps.registry import ACTORS

    assert all(r.actor in ACTORS for r in all_rules().values())
    assert {r.actor for r in all_rules().values()} == set(ACTORS)


@pytest.mark.parametrize(("rule_id", "actor"), [
    ("profile.not_available", "teacher"), ("project.cofounder_not_available", "partner"),
    ("account.validation_overdue", "nso"), ("group.pending_css", "css"),
    ("account.login_problem", "esep_support"), ("account.old_email_unknown", "nso"),
    ("twinspace.pupils_without_consent", "school"),
])
def test_the_catalogues_examples_of_who_acts(rule_id, actor):
    assert all_rules()[rule_id].actor == actor


def test_waiting_for_validation_names_the_day_we_wait_for():
    data = teacher(accounts=[PENDING])
    finding = next(f for f in diagnose(Case.model_validate(data), "en") if f.rule == "account.pending_validation")
    assert finding.actor == "nso" and finding.until == dt.date(2026, 11, 30)


def test_json_findings_carry_the_actor_and_only_the_contracts_keys():
    from guide.steps.findings import diagnose_json

    out = diagnose_json(Case.model_validate(not_available_cofounder()), "en")
    keys = {tuple(sorted(f)) for f in out["findings"]}
    assert keys == {("actor", "chapter", "fix", "rule", "severity", "status", "title")}
    by_rule = {f["rule"]: f for f in out["findings"]}
    assert by_rule["project.cofounder_not_available"]["actor"] == "partner"
    assert len(out["findings"]) == 60


def test_case_data_is_escaped_for_markdown():
    data = with_project(status="draft", contacts=[{"name": "[Anna](https://evil.example)", "country": "PL",
                                                   "available_for_projects": False}],
                        cofounders=[{"name": "[Anna](https://evil.example)"}])
    finding = next(f for f in diagnose(Case.model_validate(data), "en") if f.rule == "project.cofounder_not_available")
    # brackets and parentheses escaped; an invisible word joiner after ':' and before '.' (no autolink)
    assert "\\[Anna\\]\\(https:\u2060//evil\u2060\\.example\\)" in finding.fix


# -- working days: weekends and the teacher's country's public holidays -----------------------------------

@pytest.mark.parametrize(("what", "country", "submitted", "due"), [
    ("a Thursday before a weekend", "NL", "2026-11-26", dt.date(2026, 11, 30)),
    ("Christmas Eve: Christmas Day is a Dutch holiday", "NL", "2026-12-24", dt.date(2026, 12, 29)),
    ("Christmas Eve without a known country: weekends only", None, "2026-12-24", dt.date(2026, 12, 28)),
    ("Polish Independence Day (11 November) counts in Poland", "PL", "2026-11-10", dt.date(2026, 11, 13)),
    ("... but not in the Netherlands", "NL", "2026-11-10", dt.date(2026, 11, 12)),
])
def test_the_validation_due_date_counts_working_days(what, country, submitted, due):
    data = teacher(today=submitted, person={"name": "Esep", "country": country},
                   organisations=[], accounts=[acc(status="pending", submitted_on=submitted)])
    res = result("account.pending_validation", data)
    assert res.status == "fail" and res.facts["due_date"] == due, what
    after = {**data, "today": (due + dt.timedelta(days=1)).isoformat()}
    on_due = {**data, "today": due.isoformat()}
    assert result("account.pending_validation", on_due).status == "fail"
    assert result("account.validation_overdue", on_due).status == "pass"
    assert result("account.validation_overdue", after).status == "fail"
    assert result("account.pending_validation", after).status == "pass"


# -- diagnose: one finding per rule, failing first, blockers first, then acting order ------------------------

def test_diagnose_orders_failing_findings_by_severity_then_acting_order():
    data = with_project(
        person={"name": "Esep", "country": "NL", "browser": "edge"},
        wants=["create_project", "add_partner", "apply_eql"],
        profile={"available_for_projects": False, "description": ""},
        status="pending", nso_approvals={"NL": "approved", "PL": "pending"},
        cofounders=[{"name": "Anna Kowalska", "invitation": "pending"}])
    findings = diagnose(Case.model_validate(data), "nl")
    rules = all_rules()
    assert [f.rule for f in findings if True] and len(findings) == len(rules)
    assert len({f.rule for f in findings}) == len(rules)
    keys = [(STATUS_ORDER[f.status], SEVERITIES.index(f.severity), rules[f.rule].order) for f in findings]
    assert keys == sorted(keys)
    failing = [f for f in findings if f.status == "fail"]
    assert failing[0].rule == "profile.not_available"
    assert {f.severity for f in failing} == {"blocker", "warning", "info", "tip"}
    assert findings.index(failing[-1]) == len(failing) - 1


def test_a_blank_case_asks_for_an_eu_login_first():
    findings = diagnose(Case.model_validate(case()), "en")
    assert [f.rule for f in findings if f.status == "fail"] == ["eu_login.missing"]
    assert findings[0].title == "You have no EU Login yet"


def test_a_passing_finding_has_its_passed_text():
    findings = {f.rule: f for f in diagnose(Case.model_validate(teacher()), "en")}
    assert findings["profile.not_available"].status == "pass"
    assert findings["profile.not_available"].fix == "You are available for eTwinning projects."


def test_project_helpers_judge_national_projects():
    national = with_project(contacts=[{"name": "Jan Modaal", "country": "NL"}],
                            cofounders=[{"name": "Jan Modaal", "invitation": "accepted"}],
                            nso_approvals={"NL": "approved"}, status="closed")
    assert "Nederland" in fix("project.national_only", national, "nl")
    assert project()["title"] in fix("project.national_only", with_project(
        contacts=[{"name": "Jan Modaal", "country": "NL"}], cofounders=[{"name": "Jan Modaal"}],
        nso_approvals={"NL": "approved"}), "en")


def test_nso_file_errors_name_the_field(tmp_path: Path):
    from guide.content.nso import read_nso
    from guide.errors import ContentError

    bad = tmp_path / "nso.yaml"
    bad.write_text("esep_contact: {url: 'https://x.example', source: s}\ncountries:\n  nl: {name: X}\n",
                   encoding="utf-8")
    with pytest.raises(ContentError) as err:
        read_nso(bad)
    assert "nl" in str(err.value) and "ISO 3166-1" in str(err.value)


# -- the registry's contracts: explicit order, declared variants ------------------------------------------

def _rule_order_after_importing(module: str) -> list[str]:
    code = f"import {module}\nfrom guide.steps.registry import all_rules\nprint(' '.join(all_rules()))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stdout.split()


def test_the_acting_order_does_not_depend_on_which_area_is_imported_first():
    order = _rule_order_after_importing("guide.steps.labels")
    assert order == _rule_order_after_importing("guide.steps.account")
    areas = [rid.split(".")[0] for rid in order]
    assert areas.index("eu_login") < areas.index("profile") < areas.index("project") < areas.index("label")


def test_a_fix_variant_missing_from_the_content_is_an_error_not_another_text():
    content = load_content("en")
    rule = all_rules()["account.rejected"]
    text = content.rule_texts["account.rejected"]
    broken = text.model_copy(update={"fix": {"nso": text.fix["nso"]}})
    with pytest.raises(ContentError, match="rule 'account.rejected' needs the variant 'esep' in its fix"):
        fix_text(rule, Result("fail", {}, "esep"), broken, content)


def test_a_rule_returning_a_variant_it_does_not_declare_fails_loudly():
    rule = all_rules()["account.rejected"]
    odd = dataclasses.replace(rule, check=lambda case: Result("fail", {}, "email"))
    with pytest.raises(UndeclaredVariant, match="rule 'account.rejected' returned variant 'email'"):
        odd(Case())


def test_english_names_the_netherlands_with_its_article():
    data = teacher(accounts=[PENDING])
    assert "public holidays in the Netherlands" in fix("account.pending_validation", data, "en")
    assert "feestdagen in Nederland" in fix("account.pending_validation", data, "nl")
    polish = with_project(status="pending", nso_approvals={"NL": "approved", "PL": "pending"})
    assert "the NSO of Poland" in fix("project.awaiting_nso", polish, "en")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_international_project_that_wants_the_nql_gets_the_handbooks_application_hints(lang):
    """Ch. 11-12 (HB:812-814, 823): apply yourself via ESEP; founder and/or co-founder close a finished project;
    the jury can still view it. Shown when label.national_project passes."""
    data = with_project(status="active", wants=["apply_nql"])
    assert result("label.national_project", data).status == "pass"
    text = fix("label.national_project", data, lang)
    assert "ESEP" in text and "(guide:chapter/11)" in text and "(guide:chapter/12)" in text
    assert {"nl": "zelf aan via ESEP", "en": "yourself via ESEP"}[lang] in text
    assert {"nl": "founder en/of co-founder sluiten het af", "en": "founder and/or co-founder close it"}[lang] in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unconfirmed_login_without_an_address_points_to_the_teachers_own_mail(lang):
    # A self-check may say 'not confirmed' without giving the address: the fix must still read as a sentence
    # ('the e-mail EU Login sent to your e-mail address'), not 'sent to unknown'.
    text = fix("eu_login.unconfirmed", case(eu_login={"confirmed": False}), lang)
    assert {"nl": "die EU Login naar je e-mailadres stuurde", "en": "EU Login sent to your e-mail address"}[lang] in text
    assert {"nl": "onbekend", "en": "unknown"}[lang] not in text
    with_address = fix("eu_login.unconfirmed", case(eu_login={**LOGIN, "confirmed": False}), lang)
    assert "esephandleiding@gmail.com" in with_address
