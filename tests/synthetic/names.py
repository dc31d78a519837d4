"""The names of the synthetic registry: common given names and surnames of Bihar, in Latin and Devanagari.

These are common given names, not persons: a record is a random combination of them and is never paired with a
real identifier. Each table is ordered from the most to the least common, and a name's weight follows its rank
the way given names do (Zipf: the r-th name is about 1/r^s as common as the first), so that a registry of 100,000
children holds thousands called Rahul Kumar or Sonu Kumar and hundreds called Mohd Arif or Khushbu Khatun, while
the tail of rarer names stays long. The order is this project's judgement of which names are common in rescue
registers, not a published frequency list.

A name is a tuple of `Token`s; each token carries both spellings (the Latin one an officer most often writes, and
the Devanagari one), so a record can be written in either script and a re-registration turned into the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Token:
    latin: str
    deva: str

    def in_script(self, script: str) -> str:
        return self.deva if script == DEVA else self.latin


LATN, DEVA = "latn", "deva"


def _table(text: str) -> tuple[Token, ...]:
    """Parse "Rahul राहुल, Ram_Babu राम_बाबू, ..." (an underscore joins the words of a two-word name)."""
    tokens = []
    for entry in text.replace("\n", " ").split(","):
        if entry.strip():
            latin, deva = entry.split()
            tokens.append(Token(latin.replace("_", " "), deva.replace("_", " ")))
    return tuple(tokens)


BOYS_HINDU = _table("""
    Rahul राहुल, Sonu सोनू, Amit अमित, Ravi रवि, Raju राजू, Sunil सुनील, Vikash विकाश, Aman अमन, Rohit रोहित,
    Manish मनीष, Deepak दीपक, Golu गोलू, Chhotu छोटू, Ajay अजय, Sanjay संजय, Monu मोनू, Sachin सचिन,
    Ankit अंकित, Pankaj पंकज, Ranjit रंजीत, Mukesh मुकेश, Sujit सुजीत, Pintu पिंटू, Bablu बबलू, Guddu गुड्डू,
    Chandan चंदन, Kundan कुंदन, Santosh संतोष, Niraj नीरज, Dharmendra धर्मेंद्र, Sagar सागर, Shivam शिवम,
    Anil अनिल, Vijay विजय, Dilip दिलीप, Rajesh राजेश, Raj राज, Abhishek अभिषेक, Nitish नीतीश, Suraj सूरज,
    Rakesh राकेश, Manoj मनोज, Bittu बिट्टू, Bhola भोला, Munna मुन्ना, Rinku रिंकू, Lalu लालू, Karan करण,
    Arjun अर्जुन, Krishna कृष्णा, Mohan मोहन, Sohan सोहन, Ritesh रितेश, Rupesh रूपेश, Umesh उमेश, Dinesh दिनेश,
    Jitendra जितेंद्र, Birju बिरजू, Sanju संजू, Ranjan रंजन, Ganesh गणेश, Mithun मिथुन, Lakhan लखन,
    Nandan नंदन, Prince प्रिंस, Sunny सन्नी, Anand आनंद, Sumit सुमित, Rajan राजन, Gautam गौतम, Prem प्रेम,
    Akash आकाश, Vishal विशाल, Saurabh सौरभ, Gopal गोपाल, Kishan किशन, Shankar शंकर, Bajrangi बजरंगी,
    Pappu पप्पू, Kallu कल्लू, Tinku टिंकू, Dablu डबलू, Chintu चिंटू, Rohan रोहन, Ajit अजीत, Sudhir सुधीर,
    Pawan पवन, Naresh नरेश, Amar अमर, Satish सतीश, Kamlesh कमलेश, Mantu मंटू, Bipin बिपिन, Bhim भीम,
    Ashok अशोक, Ram_Babu राम_बाबू, Lal_Babu लाल_बाबू, Bholu भोलू, Mintu मिंटू, Kiran किरण, Jyoti ज्योति,
    Suman सुमन, Roshan रोशन, Kanhaiya कन्हैया, Dhiraj धीरज, Shyam श्याम, Hari हरि, Bikram बिक्रम,
    Sonelal सोनेलाल, Shailesh शैलेश, Vivek विवेक, Tarun तरुण, Mahesh महेश, Lalit ललित, Brajesh ब्रजेश,
    Rambalak रामबालक, Jagdish जगदीश, Bhushan भूषण, Dhananjay धनंजय, Ravindra रविंद्र, Upendra उपेंद्र,
    Shatrughan शत्रुघ्न, Kameshwar कामेश्वर, Raushan रौशन, Nagendra नागेंद्र, Sarvesh सर्वेश, Chunnu चुन्नू
""")

GIRLS_HINDU = _table("""
    Puja पूजा, Khushbu खुशबू, Priya प्रिया, Rani रानी, Sonam सोनम, Anjali अंजलि, Pinky पिंकी, Kajal काजल,
    Nisha निशा, Neha नेहा, Sangita संगीता, Sunita सुनीता, Anita अनीता, Rekha रेखा, Guddi गुड्डी, Munni मुन्नी,
    Sapna सपना, Sarita सरिता, Babita बबीता, Savita सविता, Rinki रिंकी, Soni सोनी, Chanda चंदा, Kiran किरण,
    Suman सुमन, Laxmi लक्ष्मी, Sita सीता, Gita गीता, Radha राधा, Mamta ममता, Jyoti ज्योति, Preeti प्रीति,
    Aarti आरती, Kumkum कुमकुम, Khushi खुशी, Manisha मनीषा, Ruby रूबी, Nikki निक्की, Shobha शोभा, Poonam पूनम,
    Nandini नंदिनी, Rinku रिंकू, Sonu सोनू, Babli बबली, Chandni चांदनी, Kavita कविता, Ranju रंजू, Meena मीना,
    Sushma सुषमा, Lalita ललिता, Bindu बिंदु, Pallavi पल्लवी, Shivani शिवानी, Kanchan कंचन, Sweety स्वीटी,
    Dimpal डिंपल, Rupa रूपा, Mala माला, Usha उषा, Sudha सुधा, Champa चंपा, Phulmati फूलमती, Kunti कुंती,
    Tara तारा, Bebi बेबी, Nutan नूतन, Anu अनु, Gudiya गुड़िया, Sanju संजू, Ritu ऋतु, Saloni सलोनी
""")

BOYS_MUSLIM = _table("""
    Arif आरिफ, Sahil साहिल, Salman सलमान, Imran इमरान, Irfan इरफान, Rizwan रिज़वान, Shahid शाहिद, Sajid साजिद,
    Wasim वसीम, Aslam असलम, Asif आसिफ, Javed जावेद, Shakil शकील, Tabrez तबरेज़, Nasim नसीम, Naushad नौशाद,
    Sarfaraz सरफ़राज़, Danish दानिश, Faizan फ़ैज़ान, Shadab शादाब, Firoz फ़िरोज़, Anwar अनवर, Ashraf अशरफ़,
    Iqbal इक़बाल, Jamil जमील, Kalim कलीम, Rashid राशिद, Sohail सोहेल, Ayan अयान, Arman अरमान, Raja राजा,
    Sameer समीर, Shahbaz शाहबाज़, Nadeem नदीम, Amir आमिर, Tauseef तौसीफ़, Mustafa मुस्तफ़ा, Akbar अकबर,
    Chand चाँद, Saddam सद्दाम, Ehsan एहसान, Zahid ज़ाहिद, Guddu गुड्डू, Babu बाबू, Munna मुन्ना, Sonu सोनू,
    Ismail इस्माइल, Kaif कैफ़, Rehan रेहान, Aftab आफ़ताब, Meraj मेराज, Sadique सादिक़
""")

GIRLS_MUSLIM = _table("""
    Khushbu खुशबू, Nazia नाज़िया, Shabnam शबनम, Rukhsar रुख़सार, Gulshan गुलशन, Nargis नरगिस, Shabana शबाना,
    Farzana फ़रज़ाना, Reshma रेशमा, Tabassum तबस्सुम, Sabina सबीना, Rubina रुबीना, Muskan मुस्कान, Saba सबा,
    Afreen आफ़रीन, Yasmin यास्मीन, Rehana रेहाना, Shama शमा, Nasreen नसरीन, Sania सानिया, Chandni चांदनी,
    Sajda सजदा, Gudiya गुड़िया, Noori नूरी, Firdaus फ़िरदौस, Zeenat ज़ीनत, Salma सलमा, Roshni रोशनी,
    Shahnaz शहनाज़, Parveen परवीन, Naghma नग़मा, Sabra साबरा, Kausar कौसर, Shaheen शाहीन
""")

# Surnames of Hindu families, as a father's name or a child's name ends (Kumar / Kumari are kept apart below).
SURNAMES_HINDU = _table("""
    Yadav यादव, Manjhi मांझी, Paswan पासवान, Ram राम, Das दास, Mahto महतो, Rajak रजक, Sah साह, Sahni सहनी,
    Mandal मंडल, Chaudhary चौधरी, Rishideo ऋषिदेव, Sada सदा, Thakur ठाकुर, Prasad प्रसाद, Singh सिंह,
    Sharma शर्मा, Gupta गुप्ता, Nishad निषाद, Mukhiya मुखिया, Bhuiyan भुइयां, Rai राय, Pandit पंडित,
    Sao साव, Bind बिंद, Turi तुरी, Dom डोम, Mallah मल्लाह, Rajbanshi राजबंशी
""")
SURNAMES_MUSLIM = _table("""
    Ansari अंसारी, Alam आलम, Khan ख़ान, Ali अली, Hussain हुसैन, Raza रज़ा, Ahmad अहमद, Akhtar अख़्तर,
    Siddiqui सिद्दीक़ी, Rain राईन, Shekh शेख़, Qureshi क़ुरैशी, Mansuri मंसूरी, Rahmani रहमानी, Nadaf नदाफ़
""")
# What Muslim girls' and women's names most often end with.
FEMALE_MUSLIM_ENDINGS = _table("Khatun ख़ातून, Parveen परवीन, Begum बेगम, Bano बानो, Nisha निशा")

KUMAR = Token("Kumar", "कुमार")
KUMARI = Token("Kumari", "कुमारी")
DEVI = Token("Devi", "देवी")
MOHD = Token("Mohd", "मो०")
ABDUL = Token("Abdul", "अब्दुल")

MEN_HINDU = _table("""
    Ramesh रमेश, Suresh सुरेश, Rajendra राजेंद्र, Mahendra महेंद्र, Surendra सुरेंद्र, Shambhu शंभू, Bhola भोला,
    Dinesh दिनेश, Umesh उमेश, Naresh नरेश, Sunil सुनील, Anil अनिल, Vinod विनोद, Ashok अशोक, Rajesh राजेश,
    Mukesh मुकेश, Shiv शिव, Ramchandra रामचंद्र, Lalan ललन, Sanjay संजय, Bijay बिजय, Arjun अर्जुन,
    Kameshwar कामेश्वर, Ramashish रामाशीष, Jagdish जगदीश, Shatrughan शत्रुघ्न, Yogendra योगेंद्र,
    Upendra उपेंद्र, Birendra बिरेंद्र, Ravindra रविंद्र, Shivnath शिवनाथ, Ramdev रामदेव, Raghunath रघुनाथ,
    Baleshwar बालेश्वर, Rambabu रामबाबू, Lakhan लखन, Sukhdev सुखदेव, Jitan जीतन, Mohan मोहन, Kishori किशोरी,
    Rampravesh रामप्रवेश, Shankar शंकर, Pramod प्रमोद, Manoj मनोज, Santosh संतोष, Uday उदय, Dukhi दुखी,
    Bhagwan भगवान, Ganesh गणेश, Nandlal नंदलाल, Munna मुन्ना, Ramvilas रामविलास, Sitaram सीताराम,
    Kapil कपिल, Dashrath दशरथ, Bhikhari भिखारी, Jhagru झगरू, Lakshman लक्ष्मण, Chandeshwar चंदेश्वर,
    Devnarayan देवनारायण, Ramnath रामनाथ, Bindeshwar बिंदेश्वर, Sudhir सुधीर, Vijay विजय, Ajay अजय
""")
WOMEN_HINDU = _table("""
    Sunita सुनीता, Rinku रिंकू, Anita अनीता, Sangita संगीता, Gita गीता, Phulmati फूलमती, Kalawati कलावती,
    Meena मीना, Urmila उर्मिला, Lalita ललिता, Sushila सुशीला, Rekha रेखा, Sarita सरिता, Manju मंजू,
    Pramila प्रमिला, Savitri सावित्री, Shanti शांति, Kanti कांति, Radha राधा, Parvati पार्वती, Basanti बसंती,
    Chinta चिंता, Baby बेबी, Kusum कुसुम, Malti मालती, Sharda शारदा, Indu इंदु, Lilawati लीलावती,
    Rajkumari राजकुमारी, Saraswati सरस्वती, Champa चंपा, Phulo फूलो, Munni मुन्नी, Puja पूजा, Ranju रंजू,
    Sima सीमा, Mira मीरा, Dhanmati धनमती, Jaimala जयमाला, Sudama सुदामा, Rambha रंभा, Tetri तेतरी
""")
MEN_MUSLIM = _table("""
    Salim सलीम, Karim करीम, Nasir नासिर, Islam इस्लाम, Rahim रहीम, Rahman रहमान, Kalam कलाम, Jamal जमाल,
    Kamal कमाल, Yunus यूनुस, Idris इदरीस, Ismail इस्माइल, Jabbar जब्बार, Sattar सत्तार, Ghaffar ग़फ़्फ़ार,
    Mannan मन्नान, Majid मजीद, Hamid हामिद, Habib हबीब, Latif लतीफ़, Shakur शकूर, Mukhtar मुख़्तार,
    Nizam निज़ाम, Sabir साबिर, Zakir ज़ाकिर, Hanif हनीफ़, Rafiq रफ़ीक़, Shafiq शफ़ीक़, Alauddin अलाउद्दीन,
    Jamaluddin जमालुद्दीन, Anwar अनवर, Aslam असलम, Mumtaz मुमताज़, Shamim शमीम, Sirajuddin सिराजुद्दीन
""")
WOMEN_MUSLIM = _table("""
    Rabia राबिया, Zubaida ज़ुबैदा, Amina आमिना, Hasina हसीना, Salma सलमा, Noorjahan नूरजहाँ, Shahjahan शाहजहाँ,
    Sabina सबीना, Rehana रेहाना, Fatima फ़ातिमा, Jamila जमीला, Rashida राशिदा, Sakina सकीना, Mumtaz मुमताज़,
    Nasima नसीमा, Sajda सजदा, Asma अस्मा, Khairun ख़ैरुन, Hajra हाजरा, Bilkis बिलकिस, Shabnam शबनम,
    Nazma नज़मा, Rukhsana रुख़साना, Sahjadi सहजादी, Gulnaz गुलनाज़
""")

# Names that are given to boys and girls alike: the same name of the other sex is a confusable new child.
UNISEX = frozenset(
    {token.latin for token in BOYS_HINDU} & {token.latin for token in GIRLS_HINDU}
    | {token.latin for token in BOYS_MUSLIM} & {token.latin for token in GIRLS_MUSLIM}
)

# Brothers and sisters are often given rhyming names; a sibling so named is the hardest new child to tell apart.
RHYMES = {
    "Sonu": "Monu", "Monu": "Sonu", "Pintu": "Mintu", "Mintu": "Pintu", "Chintu": "Pintu", "Rinku": "Tinku",
    "Tinku": "Rinku", "Bablu": "Dablu", "Dablu": "Bablu", "Golu": "Bholu", "Bholu": "Golu", "Raju": "Sanju",
    "Sanju": "Raju", "Rinki": "Pinky", "Pinky": "Rinki", "Guddu": "Munna", "Guddi": "Munni",
    "Munni": "Guddi", "Chandan": "Kundan", "Kundan": "Chandan", "Rohit": "Mohit", "Sahil": "Sajid",
    "Shabnam": "Shabana", "Shabana": "Shabnam", "Nazia": "Nazma", "Rubina": "Sabina", "Sabina": "Rubina",
    "Puja": "Khushbu", "Khushbu": "Puja",
}  # fmt: skip
EXTRA_RHYME_TOKENS = _table("Mohit मोहित, Nazma नज़मा")


def zipf_weights(count: int, exponent: float, offset: float = 1.0) -> list[float]:
    """Weights of ranks 1..count in a Zipf-Mandelbrot law: rank r is 1 / (r + offset - 1) ** exponent."""
    return [1.0 / (rank + offset - 1) ** exponent for rank in range(1, count + 1)]


@cache
def token_by_latin() -> dict[str, Token]:
    """Every token of the tables by its Latin spelling (for tests and for turning a rhyme into a token)."""
    tables = (
        BOYS_HINDU, GIRLS_HINDU, BOYS_MUSLIM, GIRLS_MUSLIM, SURNAMES_HINDU, SURNAMES_MUSLIM, FEMALE_MUSLIM_ENDINGS,
        MEN_HINDU, WOMEN_HINDU, MEN_MUSLIM, WOMEN_MUSLIM, EXTRA_RHYME_TOKENS, (KUMAR, KUMARI, DEVI, MOHD, ABDUL),
    )  # fmt: skip
    return {token.latin: token for table in tables for token in table}
