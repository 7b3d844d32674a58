"""Field names that name a person: a profile carries none of them, whatever the spelling."""

from __future__ import annotations

import re
import unicodedata

# Normalised spellings (lowercase ASCII letters and digits only), in English, French and Dutch, with the
# Romanian and Bulgarian transliterations a counsellor working with Roma families is likely to type.
IDENTITY_FIELDS: frozenset[str] = frozenset(
    {
        # names
        "name", "names", "firstname", "lastname", "familyname", "fullname", "givenname", "givennames",
        "surname", "maidenname", "middlename", "birthname", "nickname", "forename", "forenames",
        "nom", "prenom", "prenoms", "nomdefamille", "nomdejeunefille", "nomcomplet", "patronyme",
        "naam", "voornaam", "voornamen", "achternaam", "familienaam", "meisjesnaam", "volledigenaam",
        "nume", "prenume",
        # birth and age
        "birthdate", "dateofbirth", "dob", "birthday", "birthplace", "placeofbirth", "birthyear",
        "yearofbirth", "countryofbirth", "birthcountry", "age", "ageyears", "agegroup", "agerange",
        "naissance", "datedenaissance", "datenaissance", "lieudenaissance", "anneedenaissance", "ddn",
        "geboortedatum", "geboorteplaats", "geboortejaar", "geboorteland", "leeftijd",
        "datanasterii", "varsta",
        # sex and gender
        "gender", "sex", "sexe", "genre", "geslacht", "gen", "sexul",
        # origin, belief
        "nationality", "nationalities", "citizenship", "ethnicity", "ethnicorigin", "ethnicgroup",
        "origin", "countryoforigin", "origincountry", "nationalorigin", "race", "religion", "belief",
        "nationalite", "citoyennete", "ethnie", "origine", "origineethnique", "paysdorigine",
        "nationaliteit", "afkomst", "herkomst", "etniciteit", "godsdienst", "geloof", "religie",
        "nationalitate", "cetatenie", "etnie", "roma", "isroma", "minority", "minoritystatus",
        # face
        "photo", "photos", "picture", "avatar", "portrait", "selfie", "foto", "image", "headshot",
        # where they live
        "address", "homeaddress", "street", "streetaddress", "streetname", "housenumber", "residence",
        "adresse", "rue", "domicile", "numerodemaison", "adres", "straat", "huisnummer", "woonplaats",
        "adresa", "strada",
        # how to reach them
        "email", "mail", "emailaddress", "courriel", "adressemail", "emailadres", "mailadres",
        "phone", "phonenumber", "telephone", "telephonenumber", "tel", "mobile", "mobilephone",
        "mobilenumber", "cellphone", "gsm", "gsmnumber", "whatsapp", "portable", "numerodetelephone",
        "telefoon", "telefoonnummer", "gsmnummer", "mobiel", "telefon", "social", "facebook",
        "instagram", "linkedin", "tiktok", "website", "homepage",
        # official numbers
        "nationalnumber", "nationalregisternumber", "nationalregister", "niss", "inss", "nn", "rrn",
        "insz", "bis", "bisnumber", "bisnummer", "numerobis", "numeronational", "registrenational",
        "numeroderegistrenational", "rijksregisternummer", "rijksregister", "cnp", "egn",
        "passport", "passportnumber", "passeport", "paspoort", "idcard", "identitycard", "idnumber",
        "identitynumber", "cartedidentite", "identiteitskaart", "eid", "ssn", "socialsecurity",
        "socialsecuritynumber", "securitesociale", "sis", "driverslicencenumber",
        "iban", "bankaccount", "bankaccountnumber", "accountnumber", "comptebancaire",
        "numerodecompte", "rekeningnummer", "bankrekening",
    }
)

# A compound that contains one of these tokens names a person whatever surrounds it
# ("contact_email", "home_phone_2", "profile_photo_url"). Short or ambiguous tokens stay exact-only.
_IDENTITY_TOKENS = (
    "email", "phone", "telephone", "telefoon", "birth", "naissance", "geboorte", "passport", "passeport",
    "paspoort", "iban", "nationality", "nationalite", "nationaliteit", "ethnic", "religion", "surname",
    "firstname", "lastname", "familyname", "fullname", "givenname", "maidenname", "voornaam",
    "achternaam", "prenom", "address", "adresse", "photo", "picture", "avatar", "socialsecurity",
    "rijksregister", "registrenational", "nationalregister", "identitycard", "idcard", "gsm",
)

# "...name" is a person's name only after these qualifiers; "display_name" (a user of the service) and
# "company_name" stay legitimate.
_PERSON_NAME_QUALIFIERS = (
    "", "my", "own", "real", "legal", "user", "candidate", "person", "personal", "applicant", "jobseeker",
    "client", "worker", "employee", "contact", "mother", "father", "parent", "child", "spouse", "partner",
    "christian", "middle", "nick", "birth",
)

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _normalise(name: str) -> str:
    # Accents are folded so "prénom" and "prenom" are one field; separators and case vanish so
    # "First-Name", "firstName" and "first_name" are too.
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("", folded.lower())


def is_identity_field(name: str) -> bool:
    """True when a payload field of this name would carry who a person is rather than what they can do."""
    key = _normalise(name)
    if not key:
        return False
    if key in IDENTITY_FIELDS:
        return True
    # A trailing digit or "s" ("phone2", "emails") does not make a field anonymous.
    stem = key.rstrip("0123456789")
    if stem in IDENTITY_FIELDS or (stem.endswith("s") and stem[:-1] in IDENTITY_FIELDS):
        return True
    if any(token in key for token in _IDENTITY_TOKENS):
        return True
    for suffix in ("name", "naam", "nom"):
        if stem.endswith(suffix) and stem[: -len(suffix)] in _PERSON_NAME_QUALIFIERS:
            return True
    return False
