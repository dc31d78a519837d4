"""The schemes a district labour office links rescued children's families to in Bihar, and the departments
that run them. Loaded by `manage.py seed_schemes`; the admin edits them afterwards.

Every entry names the public rule it rests on in `source`. Amounts, age limits, service times and offices are
filled in only where the source states them; anything not confirmed is left empty for the administrator.
"""

from __future__ import annotations

from django.db import transaction

from clts.orgs.models import Department
from schemes.eligibility import validate_rule
from schemes.models import Scheme
from schemes.services import linkage_departments_sync

DEPARTMENTS = [
    ("food", "Food and Consumer Protection Department", "खाद्य एवं उपभोक्ता संरक्षण विभाग"),
    ("rural", "Rural Development Department", "ग्रामीण विकास विभाग"),
    ("health", "Health Department", "स्वास्थ्य विभाग"),
    ("social_welfare", "Social Welfare Department", "समाज कल्याण विभाग"),
    ("education", "Education Department", "शिक्षा विभाग"),
    ("labour", "Labour Resources Department", "श्रम संसाधन विभाग"),
]


def _c(subject: str, field: str, op: str, value) -> dict:
    return {"subject": subject, "field": field, "op": op, "value": value}


RESIDENT = _c("household", "resident_in_state", "eq", True)
BPL = _c("household", "bpl", "eq", True)

# What the three pensions of the National Social Assistance Programme share: a monthly payment to a member of the
# family, applied for at the block office.
NSAP_PENSION = {
    "level": "centrally_sponsored",
    "department": "social_welfare",
    "beneficiary": "member",
    "benefit_kind": "cash",
    "benefit_en": "A monthly pension.",
    "benefit_hi": "मासिक पेंशन।",
    "cash_period": "monthly",
    "family_documents": [],
    "office_en": "Block office (RTPS counter)",
    "office_hi": "प्रखंड कार्यालय (आरटीपीएस काउंटर)",
    "service_days": None,
}

SCHEMES = [
    {
        "code": "nfsa_ration_card",
        "name_en": "Ration card under the National Food Security Act",
        "name_hi": "राष्ट्रीय खाद्य सुरक्षा अधिनियम के अंतर्गत राशन कार्ड",
        "level": "central",
        "department": "food",
        "beneficiary": "household",
        "benefit_kind": "in_kind",
        "benefit_en": "Subsidised foodgrains: 35 kg a month for an Antyodaya household, 5 kg a person a month for a "
        "priority household (section 3 of the Act).",
        "benefit_hi": "सस्ता अनाज: अंत्योदय परिवार को प्रति माह 35 किलो, प्राथमिकता वाले परिवार को प्रति व्यक्ति प्रति माह "
        "5 किलो (अधिनियम की धारा 3)।",
        "documents": ["aadhaar"],
        "family_documents": [],
        "office_en": "Block office (RTPS counter)",
        "office_hi": "प्रखंड कार्यालय (आरटीपीएस काउंटर)",
        "service_days": None,
        "source": "National Food Security Act, 2013, sections 3, 9 and 10: the state identifies priority and "
        "Antyodaya households within its coverage. The rule flags every resident family without a card for "
        "assessment; the state's criteria decide.",
        "rule": {"all": [_c("household", "ration_card_type", "eq", "none"), RESIDENT]},
    },
    {
        "code": "pmay_g",
        "name_en": "Pradhan Mantri Awas Yojana (Gramin)",
        "name_hi": "प्रधानमंत्री आवास योजना (ग्रामीण)",
        "level": "centrally_sponsored",
        "department": "rural",
        "beneficiary": "household",
        "benefit_kind": "cash",
        "benefit_en": "Assistance to build a pucca house, paid in instalments.",
        "benefit_hi": "पक्का घर बनाने के लिए किस्तों में सहायता।",
        "cash_amount": "120000.00",
        "cash_period": "one_time",
        "documents": ["aadhaar", "bank_account"],
        "family_documents": [],
        "office_en": "Block Development Officer",
        "office_hi": "प्रखंड विकास पदाधिकारी",
        "service_days": None,
        "source": "PMAY-G Framework for Implementation, Ministry of Rural Development (2016): houseless households "
        "and households in kutcha houses, from the SECC 2011 deprivation list (Permanent Wait List) verified by "
        "the Gram Sabha; unit assistance Rs 1.20 lakh in plain areas.",
        "rule": {
            "all": [
                _c("household", "area", "eq", "rural"),
                _c("household", "house_type", "in", ["houseless", "kutcha"]),
                RESIDENT,
            ]
        },
    },
    {
        "code": "pm_jay",
        "name_en": "Ayushman Bharat Pradhan Mantri Jan Arogya Yojana (PM-JAY)",
        "name_hi": "आयुष्मान भारत प्रधानमंत्री जन आरोग्य योजना",
        "level": "centrally_sponsored",
        "department": "health",
        "beneficiary": "household",
        "benefit_kind": "service",
        "benefit_en": "Cashless hospital care up to Rs 5 lakh per family per year at empanelled hospitals.",
        "benefit_hi": "सूचीबद्ध अस्पतालों में प्रति परिवार प्रति वर्ष 5 लाख रुपये तक का कैशलेस इलाज।",
        "documents": ["aadhaar"],
        "family_documents": ["ration_card"],
        "office_en": "",
        "office_hi": "",
        "service_days": None,
        "source": "PM-JAY guidelines, National Health Authority: families by the SECC 2011 deprivation and "
        "occupation criteria; Bihar extended the cover to all ration card holders under the National Food "
        "Security Act (Cabinet decision of 20 February 2024).",
        "rule": {"any": [_c("household", "ration_card_type", "in", ["aay", "phh"]), BPL]},
    },
    {
        "code": "mgnrega_job_card",
        "name_en": "MGNREGA job card",
        "name_hi": "मनरेगा जॉब कार्ड",
        "level": "centrally_sponsored",
        "department": "rural",
        "beneficiary": "household",
        "benefit_kind": "service",
        "benefit_en": "Up to 100 days of wage employment a year for the household's adult members.",
        "benefit_hi": "परिवार के वयस्क सदस्यों को वर्ष में 100 दिन तक मजदूरी वाला काम।",
        "documents": [],
        "family_documents": [],
        "office_en": "Gram Panchayat",
        "office_hi": "ग्राम पंचायत",
        "service_days": 15,
        "source": "Mahatma Gandhi National Rural Employment Guarantee Act, 2005, section 3 and Schedule II: adult "
        "members of a rural household may apply for registration; the Gram Panchayat issues the job card within "
        "15 days of the application (Operational Guidelines, 2013).",
        "rule": {"all": [_c("household", "area", "eq", "rural"), _c("member", "age", "gte", 18)]},
    },
    {
        "code": "ignoaps",
        "name_en": "Indira Gandhi National Old Age Pension",
        "name_hi": "इंदिरा गांधी राष्ट्रीय वृद्धावस्था पेंशन",
        **NSAP_PENSION,
        "documents": ["aadhaar", "bank_account"],
        "source": "National Social Assistance Programme guidelines, Ministry of Rural Development: persons aged "
        "60 or more in households below the poverty line.",
        "rule": {"all": [_c("member", "age", "gte", 60), BPL]},
    },
    {
        "code": "ignwps",
        "name_en": "Indira Gandhi National Widow Pension",
        "name_hi": "इंदिरा गांधी राष्ट्रीय विधवा पेंशन",
        **NSAP_PENSION,
        "documents": ["aadhaar", "bank_account"],
        "source": "National Social Assistance Programme guidelines, Ministry of Rural Development: widows aged 40 "
        "to 79 in households below the poverty line.",
        "rule": {
            "all": [
                _c("member", "sex", "eq", "f"),
                _c("member", "marital_status", "eq", "widowed"),
                _c("member", "age", "between", [40, 79]),
                BPL,
            ]
        },
    },
    {
        "code": "igndps",
        "name_en": "Indira Gandhi National Disability Pension",
        "name_hi": "इंदिरा गांधी राष्ट्रीय दिव्यांगता पेंशन",
        **NSAP_PENSION,
        "documents": ["aadhaar", "bank_account", "disability_certificate"],
        "source": "National Social Assistance Programme guidelines, Ministry of Rural Development: persons aged 18 "
        "to 79 with severe or multiple disabilities (80 per cent) in households below the poverty line.",
        "rule": {
            "all": [
                _c("member", "age", "between", [18, 79]),
                _c("member", "disability_percent", "gte", 80),
                BPL,
            ]
        },
    },
    {
        "code": "laxmibai_pension",
        "name_en": "Laxmibai Social Security Pension",
        "name_hi": "लक्ष्मीबाई सामाजिक सुरक्षा पेंशन",
        "level": "state",
        "department": "social_welfare",
        "beneficiary": "member",
        "benefit_kind": "cash",
        "benefit_en": "A monthly pension for widows not covered by the national widow pension.",
        "benefit_hi": "राष्ट्रीय विधवा पेंशन से बाहर की विधवाओं के लिए मासिक पेंशन।",
        "cash_period": "monthly",
        "documents": ["aadhaar", "bank_account"],
        "family_documents": ["income_certificate", "residence_certificate"],
        "office_en": "Sub-Divisional Officer (apply at the block RTPS counter)",
        "office_hi": "अनुमंडल पदाधिकारी (प्रखंड आरटीपीएस काउंटर पर आवेदन)",
        "service_days": None,
        "source": "Social Welfare Department, Government of Bihar: widows aged 18 or more with family income below "
        "Rs 60,000 a year who are not eligible for the Indira Gandhi National Widow Pension; applied for at the "
        "RTPS counter of the block office and sanctioned by the Sub-Divisional Officer.",
        "rule": {
            "all": [
                _c("member", "sex", "eq", "f"),
                _c("member", "marital_status", "eq", "widowed"),
                _c("member", "age", "gte", 18),
                _c("household", "income_band", "eq", "below_5000"),
                RESIDENT,
                {
                    "any": [
                        _c("member", "age", "lt", 40),
                        _c("member", "age", "gt", 79),
                        _c("household", "bpl", "eq", False),
                    ]
                },
            ]
        },
    },
    {
        "code": "mission_vatsalya_sponsorship",
        "name_en": "Mission Vatsalya sponsorship",
        "name_hi": "मिशन वात्सल्य प्रायोजन (स्पॉन्सरशिप)",
        "level": "centrally_sponsored",
        "department": "social_welfare",
        "beneficiary": "child",
        "benefit_kind": "cash",
        "benefit_en": "A monthly grant for the child's education, nutrition and health while the child lives "
        "with the family.",
        "benefit_hi": "परिवार के साथ रहते हुए बच्चे की पढ़ाई, पोषण और स्वास्थ्य के लिए मासिक सहायता।",
        "cash_amount": "4000.00",
        "cash_period": "monthly",
        "documents": ["birth_certificate", "aadhaar", "bank_account"],
        "family_documents": ["income_certificate"],
        "office_en": "District Child Protection Unit (Sponsorship and Foster Care Approval Committee)",
        "office_hi": "जिला बाल संरक्षण इकाई (प्रायोजन एवं पालन-पोषण देखरेख अनुमोदन समिति)",
        "service_days": None,
        "source": "Mission Vatsalya Scheme guidelines, Ministry of Women and Child Development (2022): sponsorship "
        "of Rs 4,000 a month for vulnerable children, including children in need of care and protection such as "
        "rescued child labourers, in families with income up to Rs 72,000 a year (rural) or Rs 96,000 (urban); "
        "recommended by the CWC and approved by the Sponsorship and Foster Care Approval Committee.",
        "rule": {
            "all": [
                _c("child", "age", "lt", 18),
                {
                    "any": [
                        {
                            "all": [
                                _c("household", "area", "eq", "rural"),
                                _c("household", "income_band", "in", ["below_5000", "upto_6000"]),
                            ]
                        },
                        {
                            "all": [
                                _c("household", "area", "eq", "urban"),
                                _c("household", "income_band", "in", ["below_5000", "upto_6000", "upto_8000"]),
                            ]
                        },
                    ]
                },
            ]
        },
    },
    {
        "code": "cm_scholarship",
        "name_en": "Mukhyamantri Balak/Balika Chhatravriti Yojana (state scholarship, classes 1 to 10)",
        "name_hi": "मुख्यमंत्री बालक/बालिका छात्रवृत्ति योजना (कक्षा 1 से 10)",
        "level": "state",
        "department": "education",
        "beneficiary": "child",
        "benefit_kind": "cash",
        "benefit_en": "A yearly scholarship; the amount depends on the class.",
        "benefit_hi": "वार्षिक छात्रवृत्ति; राशि कक्षा के अनुसार।",
        "cash_period": "yearly",
        "documents": ["aadhaar", "bank_account"],
        "family_documents": [],
        "office_en": "The child's school",
        "office_hi": "बच्चे का विद्यालय",
        "service_days": None,
        "source": "Education Department, Government of Bihar: Mukhyamantri Balak/Balika Chhatravriti Yojana for "
        "students of classes 1 to 10 in government schools (amounts revised in October 2025); attendance and "
        "other conditions are checked by the school.",
        "rule": {
            "all": [_c("child", "enrolled_in_school", "eq", True), _c("child", "school_class", "between", [1, 10])]
        },
    },
    {
        "code": "kgbv",
        "name_en": "Kasturba Gandhi Balika Vidyalaya",
        "name_hi": "कस्तूरबा गांधी बालिका विद्यालय",
        "level": "centrally_sponsored",
        "department": "education",
        "beneficiary": "child",
        "benefit_kind": "service",
        "benefit_en": "Free residential schooling for girls, classes 6 to 12.",
        "benefit_hi": "बालिकाओं के लिए कक्षा 6 से 12 तक निःशुल्क आवासीय विद्यालय।",
        "documents": ["birth_certificate"],
        "family_documents": [],
        "office_en": "Bihar Education Project Council, district office",
        "office_hi": "बिहार शिक्षा परियोजना परिषद, जिला कार्यालय",
        "service_days": None,
        "source": "Samagra Shiksha framework, Ministry of Education: residential schools for girls aged 10 to 18 "
        "(classes 6 to 12) from SC, ST, OBC, minority and BPL families, in educationally backward blocks.",
        "rule": {
            "all": [
                _c("child", "sex", "eq", "f"),
                _c("child", "age", "between", [10, 18]),
                {
                    "any": [
                        _c("household", "social_category", "in", ["sc", "st", "obc", "ebc"]),
                        _c("household", "minority", "eq", True),
                        BPL,
                    ]
                },
            ]
        },
    },
    {
        "code": "bocw_registration",
        "name_en": "Construction worker registration (labour card), Bihar Building and Other Construction "
        "Workers Welfare Board",
        "name_hi": "निर्माण श्रमिक निबंधन (लेबर कार्ड), बिहार भवन एवं अन्य सन्निर्माण कर्मकार कल्याण बोर्ड",
        "level": "state",
        "department": "labour",
        "beneficiary": "member",
        "benefit_kind": "service",
        "benefit_en": "Registration opens the Board's welfare schemes to the worker and the family, among them "
        "education assistance for the children.",
        "benefit_hi": "निबंधन से श्रमिक और परिवार को बोर्ड की कल्याण योजनाएं मिलती हैं, जिनमें बच्चों की पढ़ाई के लिए सहायता भी है।",
        "documents": ["aadhaar", "bank_account"],
        "family_documents": [],
        "office_en": "Labour Enforcement Officer of the block, or the district labour office",
        "office_hi": "प्रखंड के श्रम प्रवर्तन पदाधिकारी, या जिला श्रम कार्यालय",
        "service_days": None,
        "source": "Building and Other Construction Workers Act, 1996, section 12: a worker aged 18 to 60 who has "
        "done building work for at least 90 days in the preceding twelve months may register (the 90 days are "
        "checked with the application); Bihar Building and Other Construction Workers Welfare Board.",
        "rule": {
            "all": [
                _c("member", "age", "between", [18, 60]),
                _c("member", "occupation", "eq", "construction"),
                RESIDENT,
            ]
        },
    },
]


@transaction.atomic
def catalogue_seed(*, update: bool = False) -> dict[str, int]:
    """Create the departments and schemes that are missing; with update, reset existing ones to the catalogue."""
    counts = {"departments": 0, "schemes_created": 0, "schemes_updated": 0}
    departments = {}
    for code, name_en, name_hi in DEPARTMENTS:
        department, created = Department.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_hi": name_hi}
        )
        if update and not created:
            department.name_en, department.name_hi = name_en, name_hi
            department.save()
        counts["departments"] += created
        departments[code] = department
    for entry in SCHEMES:
        values = dict(entry)
        code = values.pop("code")
        values["department"] = departments[values["department"]]
        validate_rule(values["rule"])
        scheme = Scheme.objects.filter(code=code).first()
        if scheme is None:
            scheme = Scheme(code=code, **values)
            scheme.full_clean()
            scheme.save()
            counts["schemes_created"] += 1
        elif update:
            for name, value in values.items():
                setattr(scheme, name, value)
            scheme.full_clean()
            scheme.save()
            linkage_departments_sync(scheme=scheme)
            counts["schemes_updated"] += 1
    return counts
