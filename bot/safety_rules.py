"""The rule layer of the safety check: patterns per flag, in English, Spanish and Traditional
Chinese, plus the contexts that cancel a match (negation, hyperbole, the past).

Patterns describe kinds of message, never particular test sentences. Each flag has `*_HIT`
patterns and, where needed, `*_NOT` patterns that veto a weak hit (a strong hit is never vetoed).
"""

from __future__ import annotations

import re


def rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# ── crisis: suicide and self-harm ─────────────────────────────────────────────────────────
CRISIS_STRONG = rx(
    r"\b(kill|killing|hang|hanging|shoot|poison|drown)\w* (myself|my ?self)\b", r"\bsuicid(e|al)\b(?! (risk|prevention|hotline|lifeline|rates?|screening))",
    r"\bend(ing)? (my|my own) life\b", r"\btake my (own )?life\b", r"\bend it all\b",
    r"\b(wants?|wanna|going|ready|deserve|like) to die\b", r"\bwanna die\b", r"\bwish (i|I) (was|were) dead\b",
    r"\b(rather|better off) (be )?dead\b", r"\bbetter off (without me|if i('m| was| were) gone)\b",
    r"\b(don'?t|do not|never) want to (live|be alive|exist|wake up|be here)\b", r"\bnot (waking|wake) up\b",
    r"\b(don'?t|do not) (plan|intend|expect) to be (here|around|alive)\b", r"\bwon'?t be (here|around|alive) (much longer|anymore|tomorrow)\b",
    r"\b(after|when|before) i'?m gone\b", r"\bbefore i go\b", r"\bgoodbye (letters?|notes?|messages?)\b",
    r"\b(said|saying|say) (my )?goodbyes?\b", r"\b(texted|messaged|sent|wrote)( me| us)?( a)? goodbye\b", r"\bsuicide note\b", r"\bno (reason|point) (to|in) (live|living|going on|being here)\b",
    r"\bcan'?t (go on|keep going|do this anymore|take (it|this) anymore|survive this)\b", r"\bi'?m done\.? (like )?done\b",
    r"\bi have a plan\b", r"\bleast painful way\b", r"\bhow many .{0,30}(pills|tablets)\b",
    r"\b(pills?|tablets?) (are )?(counted|lined up|ready|in front of me|out on)\b", r"\b(took|taken|swallowed) (a bunch of|all (of )?(my|the)|my|the rest of|what was left of)\b.{0,20}(pills|tablets|prescription|meds)",
    r"\boverdos(e|ed|ing)\b", r"\b(razor|blade) (is )?(out|ready)\b", r"\bhave the (razor|blade)\b",
    r"\b(cut|cutting|burn|burning|hurt|hurting|harm|harming|punish|punishing|starv\w*) (myself|my (wrists?|arms?|legs?|skin|hands?))\b",
    r"\b(cut|cutting|hurt|hurting|harm|harming)\w* (herself|himself|themselves)\b",
    r"\b(can'?t stop|started|been|keep) (cutting|self[- ]?harming|hurting myself)\b", r"\bcutting again\b", r"\bcut (myself|my hands?) on purpose\b",
    r"\bself[- ]?harm(ing)?\b(?! (screening|risk|questions?))", r"\bjump (off|from) (a|the|my)\b", r"\b(standing|stand|sitting) on (the|a) (bridge|ledge|roof|edge)\b",
    r"\b(drive|driving|crash|crashing) (my car )?(into|off) (a|the)\b", r"\bnot safe from myself\b", r"\bhitting my head\b",
    r"\bunalive\b", r"\bkms\b", r"\bend it\b(?! (with|for|between))", r"\bleave no trace after\b", r"\bdisappear forever\b",
    r"\bno one would (miss|care)\b",
    r"\b(won'?t|will not|not going to|might not|may not) be (here|around|alive)\b", r"\bnot sure (if )?i'?ll (still )?be (here|around|alive)\b",
    r"\bend(ing)? (things|everything)\b(?! (with|between))", r"\bunaliv\w*", r"\b(hope|wish|pray) (that )?i (just )?(don'?t|never|won'?t) wake up\b",
    r"\bhow many (of )?(my |the )?(meds|pills|tablets|sleeping pills)\b", r"\b(would|will) it take\b.{0,20}\b(die|to end)\b",
    r"\b(left|leaving|wrote|writing|leave) (a |my |her |his )?(goodbye |suicide |farewell )?(note|letter)s?\b.{0,40}\b(sorry|goodbye|for everything|can'?t find)",
    r"\b(wants?|going|trying) to kill (herself|himself|themselves)\b", r"\bkill (herself|himself|themselves)\b", r"\bnobody would (miss|care)\b", r"\bwhat happens to my accounts if i die\b",
    # Spanish
    r"\bsuicid", r"\bmatarme\b", r"\bquitarme la vida\b", r"\bacabar con (mi vida|todo)\b", r"\bno quiero (vivir|seguir|despertar)",
    r"\bquiero morir", r"\bmejor (estar )?muert[oa]\b", r"\b(me )?(corté|cortarme|cortando|lastimarme|hacerme daño)\b",
    r"\bya no (puedo|aguanto) más\b", r"\bmejor sin mí\b", r"\bme mato\b", r"\bse quiere (matar|morir)\b", r"\bme tiro (del|de la|por|al)\b", r"\bno vale la pena (vivir|seguir)\b", r"\bsin sentido (vivir|seguir)\b", r"\bno (voy a|quiero) (estar|seguir) aquí\b", r"\bdesaparecer para siempre\b", r"\bpastillas\b", r"\bdespedirme\b", r"\btirarme (de|del|por)\b",
    # Spanish, indirect (giving things away, farewells, means, "not being a burden")
    r"\bno quiero llegar a mañana\b", r"\b(cartas?|mensajes?|notas?|audios?) de despedida\b",
    r"\bregal(é|e|ando|ó|a|ado)\b.{0,15}\b(mis|sus|todas mis|todas sus) cosas\b",
    r"\b(no|ya no|pronto no) (les|te|los|las|le) voy a (estorbar|molestar|dar (más )?problemas)\b",
    r"\bestoy en (el techo|la azotea|el puente|la cornisa|el balcón)\b", r"\bmirando el (balcón|puente|vacío)\b",
    r"\b(soltar|suelte) el volante\b", r"\bojalá me pase algo\b", r"\btengo (una|la) (cuerda|soga)\b",
    r"\bparacetamol\w*\b.{0,25}\b(demasiad|suficiente|cuánt|cuant)|\b(cuánt|cuant)\w*\b.{0,20}\bparacetamol",
    r"\bgracias por todo\b.{0,80}\b(no contesta|ya no contesta|no responde|no me contesta)\b",
    r"\bno doy más\b(?! de)",
    # Traditional Chinese
    r"結束自己|活著(沒|沒有)意義|活著好累|自殺|想死|不想活|輕生|結束(我的)?生命|傷害自己|活不下去|割腕|自殘|跳樓|不想再醒|消失算了|沒有我.{0,6}比較好|藥.{0,6}(準備好|吞)|撐不下去|了結",
    r"如果我不在了|等我(走|不在)了|我走了以後|遺書|寫遺囑|查遺囑|木炭|燒炭|吞了一堆藥|一整排藥|吃多少顆|不要醒來|"
    r"(很快就|以後|再也)不會再?(煩|麻煩)(你們|妳們|大家|學姊|學長|你|妳)|不用再?為我操心|不用幫我留位子|(反正|以後)用不到了|"
    r"消失最簡單|撞上去就|哪座橋|越站越前面|(現在|正)在.{0,6}頂樓|站在.{0,4}頂樓|拿著美工刀|抓到流血|從陽台跳",
)
CRISIS_WEAK = rx(r"\bwant (it|this|everything) to (stop|end) (forever|permanently)\b")
CRISIS_NOT = rx(
    r"\b(not|never|no|n't|haven'?t|wasn'?t)\b.{0,25}\b(suicidal|self[- ]?harm|hurt(ing)? myself|kill(ing)? myself|thoughts of)",
    r"\b(self[- ]?harm|suicid\w*)\b.{0,40}\b(i (honestly |really )?(haven'?t|have not|don'?t|am not)|not really|no)\b",
    r"\b(is|this is|it'?s|that'?s) killing me\b", r"\bkill me now\b.{0,60}\blol\b", r"\blol\b",
    r"\b(clients?|patients?|survivors?|callers?|students?|users?)\b.{0,40}\bsuicid", r"\bsuicid\w*\b.{0,40}\b(clients?|patients?|callers?)\b",
    r"\bno tengo pensamientos\b", r"沒有想(要)?(傷害|自殺|死)",
    r"\b(attempted|tried)\b.{0,40}\b(years? ago|in the past|before|back then)\b",
    r"\b(years? ago|in the past|back then)\b.{0,30}\b(attempted|tried)\b", r"(以前|過去).{0,10}(輕生|自殺|自殘).{0,30}(治療|穩定|好多了)",
    r"\b(thesis|research|study|studies|statistics|rates?|novel|story|character|fiction|screenplay|article)\b.{0,60}\bsuicid",
    r"\bsuicid\w*\b.{0,60}\b(statistics|rates?|research|study|studies)\b",
    r"\b(category|categories|pick|choose|option|options|dropdown|menu)\b.{0,40}\bself[- ]?harm",
    # Spanish and Chinese: jokes, idioms, the past, professionals and research
    r"\b(muert[oa]|morir|muero|muriendo)\b.{0,12}\b(ja(ja)+|je(je)+|xd)\b", r"\bmuert[oa] para mí\b",
    r"\b(hace|hacía) \w+ (años|meses)\b.{0,60}\b(intenté|intente|quise)\b.{0,80}\b(ya estoy bien|estoy mejor|terapia)\b",
    r"\b(psicólog[oa]|voluntari[oa]|terapeuta|consejer[oa]|investigador[ae]?s?|tesis)\b.{0,120}\b(riesgo suicida|protocolo|suicid\w*)\b",
    r"想死.{0,6}(XD|哈哈|笑死)|(XD|哈哈|笑死).{0,6}想死|快把我逼死|死連結|(在我心裡|對我來說)已經死了|沒有想不開",
    r"(年前|以前|過去).{0,15}(自殺|輕生|自殘).{0,40}(好很多|治療|穩定|身心科|諮商)",
    r"(論文|小說|心理師|諮商師|研究|老師想了解).{0,30}(自殺|輕生)",
)

# ── danger: imminent physical danger ──────────────────────────────────────────────────────
_WHO = r"(he|she|they|someone|somebody|a (man|guy|stranger)|my (ex|husband|wife|partner|boyfriend|girlfriend|bf|gf|roommate|dad|father|stepdad)|the (guy|man))"
DANGER_STRONG = rx(
    rf"\b{_WHO}('s| is| are|'re)? (right )?(outside|downstairs|upstairs|here|in (the|my) (house|home|hallway|kitchen|building|lobby|next room|room|car))\b",
    r"\b(he|she|they)'?s here\b", r"\bhe'?s (in|at) (the|my) (door|window|house|hallway|car)\b",
    r"\b(at|outside|by|to) my (door|window|house|home|apartment|building|car|work|job)\b.{0,40}\b(now|right now|waiting|won'?t leave|banging|knocking|yelling|screaming)\b",
    r"\b(now|right now)\b.{0,40}\b(at|outside) my (door|window|house|home|apartment)\b",
    r"\b(banging|pounding|knocking|kicking|hitting|trying)\b.{0,25}\b(door|window|handle)\b", r"\bkick(ing)? the door\b",
    r"\b(break|breaking|broke) (in|into)\b", r"\b(trying|tries) (to open )?(my|the) door( handle)?\b",
    r"\b(on (his|her|their) way|coming (over|here|back|home|for me|to (get|find) me)|minutes away|(is|are|he'?s|she'?s) close)\b",
    r"\b(following|chasing|followed|stalking) me\b.{0,30}\b(now|right now|home|street|car)\b|\b(is|he'?s|she'?s|they'?re) (following|chasing) me\b",
    r"\b(circling|parked outside|waiting (by|outside|for me))\b",
    r"\b(hitting|choking|chokes|strangling|beating|attacking|grabbed|punched|slapped|kicked|hit|choked|attacked|beat) me\b(?!.{0,30}\b(years? ago|last year|once|used to|in the past)\b)",
    r"\bthrew .{0,20} at me\b", r"\bi'?m bleeding\b", r"\bhe'?s hitting\b",
    r"\b(kill|hurt|beat|shoot|stab|burn|break my|finish|deal with) (me|this|the house|my \w+)\b(?! (myself|now,? i have to))(?!.{0,60}\blol\b).{0,40}\b(tonight|now|today|when he gets|when she gets|if i|unless)\b",
    r"\b(going to|gonna|will|'ll|says he'?ll|said he'?d|threaten\w* to) (kill|hurt|beat|shoot|stab|burn|break|crash)\b(?! (myself|my ?self|my (reputation|career|name|business|life online)))(?!.{0,20}\b(post|share|leak|send|my (photos|pics|pictures|video)))",
    r"\b(come|coming) (for|after|to get) me\b", r"\boutside\b.{0,40}\bright now\b|\bright now\b.{0,40}\boutside\b",
    r"\b(just )?show(ed|s)? up (at|in|outside)\b.{0,40}\b(threat\w*|yell\w*|scream\w*|won'?t leave)", r"\bnot done with me\b",
    r"\bgoing to get in\b", r"\blocked me in\b", r"\b(in|at) the parking (lot|garage)\b.{0,30}\b(outside|of my|at my)\b",
    r"\b(be|come|show up) (at|to) my (work|job|house|place|school|apartment)\b.{0,30}\b(today|tonight|at \d|now|rn)\b",
    r"\b(outside|at) my school\b.{0,20}\b(rn|now)\b", r"\bat (our|my|her|his) front door\b", r"\bsmash\w* (her|my|our|the) (windows?|door|car)\b",
    r"\bcome find me\b", r"\b(he|she|they)('s| is| are) (at|outside) (our|my|her) (door|house|home)\b",
    r"\b(gun|knife|bat|weapon|pistol|rifle)\b(?!.{0,20}\b(photo|pic|emoji)\b)", r"\bpulled a (gun|knife)\b",
    r"\b(hiding|hid) (in|at|under) (the|my|a|our|her)\b", r"\b(i'?m|i am) (in danger|not safe)\b(?! from myself)", r"\bin (immediate )?danger\b",
    r"\bafraid for my life\b", r"\bhelp\b.{0,10}\b(he'?s|she'?s) (here|hitting|outside)\b", r"\blook out your window\b",
    r"\bwon'?t (let me leave|leave)\b", r"\b(standing|is) (right )?over me\b", r"\b(coming back|come back) .{0,30}\b(to )?(deal with|get|hurt) me\b",
    # Someone is threatening them now and they cannot speak (someone may be listening):
    # emergency lines with a text option first ("threatening me right now, I can't talk").
    r"\b(threaten\w*|hurt\w*|yell\w*|scream\w*)\b.{0,30}\b(right now|rn)\b.{0,30}\b(i )?(can'?t|cannot|can not) (talk|speak)\b(?! (to|about|with))",
    r"\b(i )?(can'?t|cannot|can not) (talk|speak)\b(?! (to|about|with)).{0,20}\b(he|she|they)('s| is| are) (here|listening|next to me|in the (room|house))\b",
    # Spanish
    r"\b(me va a|va a|me quiere) (matar|lastimar|pegar|golpear|romper)", r"\b(está|esta) (afuera|aquí|aqui|en (la|mi) (casa|puerta))",
    r"\b(viene|va) (para acá|hacia acá|en camino)\b", r"\bestoy en peligro\b", r"\b(arma|cuchillo|pistola)\b",
    r"\b(me (acaba de )?(pegó|pego|golpeó|golpeo)|me está (pegando|golpeando|siguiendo))", r"\b(abrir|golpeando|tocando) (mi |la )?puerta\b",
    r"\bme (está|esta) amenazando (ahora|ahorita)( mismo)?\b.{0,30}\bno puedo hablar\b", r"\bsigue en (la|mi) casa\b", r"\b(está|esta) (rompiendo|tirando|pateando|forzando) la puerta\b", r"在來(我家)?的路上", r"\bayuda,? (está|esta) aquí\b",
    # Traditional Chinese
    r"要殺我|在我家(門外|樓下|外面)|在門外|樓下|我有危險|我很危險|拿著刀|有槍|(正在)?打我|轉(我的)?門把|在過來的路上|在路上.{0,6}(來|過來)|(闖|衝)進",
)
DANGER_NOT = rx(r"\b(years? ago|last (year|month|week)|used to|in the past|back then|nothing happened|legally|in court|sue me)\b",
                r"\bin (19|20)\d\d\b", r"\b(nightmares?|dream\w*|imagine|keep thinking)\b", r"\b(is|he'?s|she'?s) (actually |now )?in (jail|prison)\b",
                r"兩年前|以前會", r"\bhace (años|dos años)\b")
# Hard vetoes: the person says they are safe, or it is a joke.
DANGER_SAFE = rx(r"\bi'?m safe( right)? now\b", r"\b(he|she) (doesn'?t|does not) know where i (live|am)\b",
                 r"\b(lol|lmao|haha)\b")
# A threat to post images is abuse but not, by itself, physical danger; the classifier
# confuses the two, so its danger vote needs something physical or immediate as well.
DANGER_LEAK_ONLY = rx(r"\b(post|share|leak|send|upload|expose|release|spread)\w*\b.{0,30}\b(pics|photos|pictures|nudes|videos?|images?|deepfakes?)\b",
                      r"\b(publicar|subir|mandar|enviar|difundir)\w*\b.{0,30}\b(fotos|videos?|nudes|imágenes)\b", r"(散布|外流|上傳|傳|po|公開).{0,8}(照片|影片|裸照|私密照)")
DANGER_PHYSICAL = rx(r"\b(hurt|hit|kill|beat|outside|door|window|house|on (his|her) way|coming|knife|gun|weapon|choke|grab|follow\w*|waiting|here)\b",
                     r"\b(golpe|matar|pegar|afuera|puerta|casa|viene|cuchillo|pistola)\w*", r"打|殺|門|家|刀|槍|來了|跟蹤")
DANGER_NOW = rx(r"\bright now\b", r"\brn\b", r"\bahora mismo\b", r"現在就|正在")

# ── minor involved ────────────────────────────────────────────────────────────────────────
_AGE = r"(?:[5-9]|1[0-7])"
_NOT_AGE_AFTER = r"(?!\s*(years?|yrs?)\s*(into|of|older|younger|ago|together|married|since|later|long))(?!\s*(%|k\b|mins?|minutes|hours|days|weeks|months|times|dollars|pounds|kg|lbs|followers|posts))"
MINOR_STRONG = rx(
    rf"\b(i'?m|i am|im|she'?s|he'?s|she is|he is|they'?re|we'?re|are both|is|was|were|turned|aged?|age) (only |just |still |barely )?{_AGE}\b{_NOT_AGE_AFTER}(?!\s*-?\s*(year|yr)s?[- ]old (cat|dog|car|house|account|laptop|phone))",
    rf"\b{_AGE} ?[-–]? ?(years?[- ]old|yrs?[- ]old|yo|y/o|y\.o\.)\b(?!\s*(cat|dog|car|house|account|laptop|phone))",
    rf"\((age )?{_AGE}\)", rf"\bwhen (i|she|he|they|we) (was|were) (a kid|a child|little|young|a teen(ager)?|{_AGE})\b",
    r"\bturn(s|ing)? 18 (in|next|this)\b", r"\b(i'?m|i am|im|she'?s|he'?s|is|are) (a |still a )?(minor|under 18|teen(ager)?|kid|child)\b",
    r"\bunder ?(the age of )?18\b", r"\b(of|involving|depicting|with) (a |an )?(minor|child|kid|teen(ager)?|underage|9th grader)s?\b",
    r"\bchild (porn|sexual abuse|sex abuse|exploitation)|\bcsam\b", r"\bmiddle school\b", r"\bjunior high\b",
    r"(高[中一二三]|國[中一二三])的時候", r"\ben mi (secundaria|prepa|preparatoria)\b",
    rf"\b(hij[oa]|herman[oa]|prim[oa]|sobrin[oa]|alumn[oa]|amig[oa]|novi[oa]) de {_AGE}\b",
    rf"\btengo {_AGE}\b(?!\s*(%|meses|días|dias|horas|semanas|dólares|dolares|pesos|mil|fotos|videos|hijos))",
    rf"(?<![0-9]){_AGE}\s?歲", r"未成年|國[小中一二三]|國小|兒少",
    r"\b(freshman|sophomore|junior|senior) (year )?(in|of|at) (high school|hs)\b", r"\b(freshman|sophomore) in hs\b", r"\b(freshman|sophomore) (year|class)\b",
    r"\b([5-9]|1[0-2])(th|st|nd|rd)[- ]grade(r)?\b", r"\bgrade ([5-9]|1[0-2])\b", r"\b(in )?year ([5-9]|1[0-3])\b(?! (ago|old|later))",
    r"\b(ninth|eighth|seventh|sixth|tenth|eleventh|twelfth) grade\b",
    r"\bmy (\d{1,2}[- ]year[- ]old|little|young) (son|daughter|kid|child|brother|sister|girl|boy|cousin|niece|nephew)\b",
    rf"\b(my|our|a|her|his) (son|daughter|kid|child|brother|sister|stepdaughter|stepson|cousin|niece|nephew|friend|student|pupil|patient|participant|grandson|granddaughter|girlfriend|boyfriend)( is| who is|,)? (only |just )?{_AGE}\b{_NOT_AGE_AFTER}",
    rf"\btengo {_AGE} años\b", rf"\bde {_AGE} años\b", r"\bsoy menor\b", r"\bmenor(es)? de edad\b",
    rf"\bcuando (tenía|tenia|era) ({_AGE}|niñ[oa]|menor|adolescente)", r"\b(voy en|estoy en|en la) (secundaria|prepa|preparatoria|escuela secundaria)\b",
)
# Softer signals (school, "underage", a child mentioned near images): cancelled when the
# message states an adult age for the person ("I was 23", "my son is 22").
MINOR_SOFT = rx(
    r"\bhigh[- ]school\b", r"\bunder-?age(d)?\b",
    r"\b(at|in) (my |our )?school\b.{0,60}\b(nudes?|naked|pics|photos)\b", r"\b(girl|boy|kid)s? in (my|our) class\b", r"\bunder-?age(d)?\b",
    r"\b(my|our) (son|daughter|child|kid|teen|student|stepdaughter|stepson)\b(?!'s)(?! is (1[89]|[2-9]\d))\b.{0,80}\b(nudes?|naked|nude|photos?|pictures?|pics?|videos?|images?|sextort\w*|blackmail\w*|deepfake\w*|snap\w*)",
    r"\b(my|our) (son|daughter|child|kid|teen|student|stepdaughter|stepson)'s (nudes?|naked|nude|photos?|pictures?|pics?|videos?|images?)",
    r"\b(nudes?|naked|explicit|sexual|intimate|deepfake) .{0,40}\b(of|from) (my|our) (son|daughter|child|kid|student)\b",
    r"\b(i'?m|i am|im) a teen(ager)?\b", r"\b(a|my) teen(age)? (girl|boy|daughter|son)\b", r"\bin hs\b",
    # Spanish
    r"\bmi hij[oa]\b.{0,60}\b(desnud|íntim|intim|sexual|fotos?|video|extorsi)", r"\badolescente\b",
    # Traditional Chinese
    r"高[中一二三]|青少年",
)
MINOR_NOT = rx(r"\b(account|profile|email|phone)\b.{0,15}\bsince i was\b")
MINOR_ADULT = rx(r"\b(i|she|he|we|they) ?(was|were|am|'m|are|'re)( both)? (1[89]|[2-9]\d)\b",
                 r"\b(son|daughter|child|kid|brother|sister) is (1[89]|[2-9]\d)\b", r"(?<![0-9])(1[89]|[2-9]\d)\s?歲",
                 r"\b(tenía|tengo) (1[89]|[2-9]\d)\b")

# ── misuse: asking for intimate images of others, identifying people, rule-bypass ─────────
_OTHER = (r"(her|his|their|them|him|someone'?s?|somebody'?s?|a girl'?s?|girls'?|women'?s?|e-?girls?|people'?s?|"
          r"my (ex|gf|bf|girlfriend|boyfriend|wife|husband|roommate|neighbou?r|coworker|co-worker|classmate|crush|friend|boss|teacher|sister'?s friend)('?s)?|my [a-z]+'s|"
          r"this (girl|woman|guy|person)'?s?|the (girl|woman|person)'?s?|[a-z]+'s)")
_IMAGES = r"(nudes?|naked|nude (pics|photos|images|videos?)|leak(ed|s)?|private (pics|photos|pictures|images|videos?|content)|intimate (pics|photos|pictures|images|videos?)|explicit (pics|photos|videos?|content)|sex ?tape|packs?|onlyfans|wins)"
# Locating a person from a picture ("where she lives from this photo", "address of the guy in
# this selfie"): refused even when the asker is a victim; finding someone is for the police.
_LOCATE = r"\b(where (she|he|they|my (ex|\w+)|this (guy|girl|person|woman|man)) (lives?|works?|is)|(her|his|their|home) address|locate (her|him|them|this \w+))\b.{0,50}\b(from|in|using|based on|of) (this|the|that|her|his|a) (photo|pic|picture|selfie|image|video|snap)\b"
# The asker's own intent: "how do I", "help me", "best way to", "I want to".
_ASK = (r"\b(how (do|can|could|would|should) (i|we|you)|help me|teach me|show me how|(best|easiest|"
        r"safest) (way|app|tool|camera|place) to|where (can|do|could) i|i (want|need|plan) to|"
        r"i'?m (going|trying) to|gonna|wanna|tips (for|on)|ways? to|is there a way to)\b")
MISUSE_STRONG = rx(
    rf"\b(find|get|see|view|download|obtain|buy|purchase|pay for|trade|access|recover|copy|steal|grab|send me|look up|locate)\b.{{0,40}}\b{_OTHER}\b.{{0,25}}\b{_IMAGES}",
    rf"\b(find|get|see|download|buy|purchase|trade|send me)\b.{{0,30}}\b{_IMAGES}\b.{{0,20}}\b(of|from) {_OTHER}",
    r"\b(where|how|which|what)\b.{0,30}\b(find|get|see|buy|download|trade|post|share)\b.{0,20}\b(leaked|leaks|packs?|nudes of|wins)\b",
    r"\b(mega|drive|dropbox|discord|telegram|reddit) (link|server|group|channel|bot)s?\b.{0,40}\b(leak|nudes|pics of girls|nsfw)", r"\bleaked (folder|pack|content)\b",
    r"\b(sites?|servers?|groups?|channels?|forums?|boards?) (where|that)\b.{0,40}\b(share|trade|post|sell|pay for)\b.{0,30}\b(nudes|pics|photos|leaks)\b",
    r"\b(sell|selling|sells|pay for|pays for)\b.{0,30}\b(private|amateur|intimate) (pics|photos|videos)\b",
    r"\b(make|create|generate|produce|render|draw|photoshop|edit|turn|put|swap)\b.{0,40}\b(nudes?|naked|porn\w*|sex(ual|y)?|explicit|deepfakes?|deep fakes?|nsfw|topless|undress\w*)\b",
    r"\b(find|give|send|recommend|best|good|free|which|where|link|download|install|use|try|is there|are there|any)\b.{0,30}\b(undress|nudify|nudifier|deepnude|x-?ray)\w*",
    r"\b(undress|nudify)\w* (her|him|them|this|my|a|the)\b", r"\b(remov\w*|take off|erase|strip)\b.{0,15}\b(the |her |his |their )?cloth(es|ing)\b", r"\bclothes off\b",
    r"\b(get|make|convince) (him|her|them) to send (them|it|those|the (pics|photos)) to me\b",
    r"\b(work out|figure out|find out|tell me)\b.{0,30}\bwhich (of my )?(followers|friends|people|person|contacts)\b",
    r"\b(figure out|find out|tell me|work out) who (she|he|they|this|that) (is|are)\b", r"\bfind (her|his|their) (insta|instagram|facebook|socials?|address|name)\b",
    r"\b(download|scrape|save|rip|get)\b.{0,30}\b(photos|pics|pictures|images)\b.{0,20}\bfrom (a |her |his |their |someone'?s? )?([a-z]+'s )?(private|locked)\b",
    r"\b(show|give|send|generate) me (an |a )?(example|sample)s? of\b.{0,30}\b(nudif|undress|nude|deepfake)",
    r"\b(leaked|nudes?|intimate)\b.{0,60}\b(keep|stop|avoid|prevent)\b.{0,30}\b(getting |being )?(reported|detected|banned|taken down)\b",
    r"\bface ?-?swap\w*\b.{0,40}\b(onto|on|into)\b.{0,30}\b(adult|porn|nude|naked|sex|explicit)",
    r"\b(nudes?|naked|intimate|explicit) (pics |photos |images |videos? )?(of|from) (a|some) (girl|woman|guy|classmate)\b.{0,60}\b(get|have|see|obtain) (a copy|them|it|those)\b",
    r"\b(going to|gonna|i'?ll|i will)\b.{0,10}\b(post|share|leak|send|expose)\b.{0,10}\b(the|his|her|their) (nudes|naked|intimate)",
    r"\b(get|send) me (the|her|his|their) (photos|pics|pictures|videos?)\b.{0,20}\bfrom (her|his|their)\b", r"\bfrom (her|his|their) (icloud|phone|cloud|drive|account|laptop)\b",
    rf"\b(post|share|spread|send|upload|leak|sell|publish|expose|show|forward)\b.{{0,30}}\b(her|his|their|them|my ex'?s?|{_OTHER})\b.{{0,25}}\b(nudes?|pics|photos|pictures|videos?|sex tape|intimate)",
    r"\b(going to|gonna|i'?ll|i will|want to|should i)\b.{0,10}\b(post|share|send|leak|expose)\b.{0,15}\b(his|hers|theirs|them|it)\b",
    r"\bi have (his|her|their) (nudes|pics|photos|videos)\b", r"\b(i'?ll|i will|going to) (post|share|send|leak) (her|his|their) (pics|photos|nudes|videos?)\b.{0,30}\bunless\b",
    r"\b(help me|how (do|can|could) i|teach me to)\b.{0,30}\b(blackmail|extort|sextort|threaten)\b",
    r"\b(who is|who's|tell me who|name of|identify|work out .{0,20}which|find out who|where (she|he) lives|reverse image search)\b.{0,50}\b(she|her|him|woman|girl|man|guy|person|this (pic|photo|video|image)|in (this|the) (pic|photo|video|image)|leaked|nude|anonymous)",
    # Covert filming is misuse when asked for, not when a victim describes it ("he secretly
    # recorded us"), so these need the asker's own intent in front.
    rf"{_ASK}.{{0,30}}\b(secretly|hidden|spy|covert)\w* (film|record|camera|cam)\w*|\bupskirt|\bcreepshot",
    rf"{_ASK}.{{0,30}}\bfilm\w* .{{0,30}}\b(in the shower|undressing|changing)\b",
    r"\b(get|break|hack|log) (into|in to)\b.{0,20}\b(her|his|their|my (ex|gf|bf|girlfriend|boyfriend|wife|husband)'?s?)\b.{0,20}\b(snapchat|icloud|phone|account|instagram|cloud|laptop|drive)\b",
    r"\b(recover|restore)\b.{0,30}\b(deleted )?(photos|pics)\b.{0,20}\bfrom (my ex'?s|her|his)\b",
    r"\bhow do (deepfake|nudify|undress)\w* .{0,20}(work|generators)\b.{0,60}\b(make|create)\b",
    _LOCATE,
    r"\b(i'?m|i am) (posting|sharing|leaking|sending|uploading) (his|hers|theirs|them)\b",
    r"\b(nudes?|naked (pics|photos)|intimate (pics|photos|videos?)|sex tape)\b.{0,15}\bof (my ex|her|him|them|my (ex-?)?(gf|bf|girlfriend|boyfriend|wife|husband))\b.{0,80}\b(sell|post|upload|share|leak|send|trade)\b",
    # Spanish
    r"\b(desnudar|quitar(le)? la ropa|desvestir)\b", r"\b(conseguir|encontrar|comprar|descargar|bajar|ver|consígueme|consigueme)\b.{0,30}\b(nudes|packs?|fotos (íntimas|intimas|desnud\w+)|filtrad\w+|desnudos)\b",
    r"\b(subir|publicar|difundir|mandar|enviar|vender)\b.{0,30}\b(las )?(fotos|videos?|nudes)\b.{0,15}\b(íntimas |intimas )?(de (mi ex|ella|él|el|su)|del)\b",
    r"\b(averiguar|saber|descubrir|identificar)\b.{0,20}\b(quién|quien) es\b",
    r"\b(dirección|direccion|dónde vive|donde vive)\b.{0,50}\b(foto|video|imagen)\b|\b(foto|video|imagen)\b.{0,60}\b(su dirección|su direccion|dónde vive|donde vive)\b",
    r"\b(hazme|haz|crea|créame|genera)\b.{0,20}\b(deepfake|desnudo|porno)", r"\b(quién|quien) es (la|el) (chica|chico|mujer|hombre)\b.{0,30}\b(video|foto)",
    # Traditional Chinese
    r"(脫衣|去衣|一鍵脫|衣服脫掉|換臉|去背裸)", r"(找|取得|買|載|下載|散布|散佈|外流|傳到|貼到|上傳)\S{0,12}(她|他|別人|前女友|前男友|同事|同學)\S{0,4}的?(裸照|私密照|性影像|影片|照片)",
    r"(影片|照片)裡的(女生|男生|人)是誰", r"(她|他)的名字", r"查.{0,8}是誰",
    r"\b(pásame|pasame|mándame|mandame|consígueme|consigueme|dame)\b.{0,30}\b(links?|packs?|fotos|nudes|videos?)\b", r"\bpacks? de (chavas|chicas|morras|mujeres)\b",
    r"\b(subo|publico|mando|paso) sus (fotos|videos?|nudes)\b", r"\b(decirme|dime) quién es\b", r"\bcómo consigo que me (las|los) (pase|mande|envíe)\b",
    r"把(她|他|前女友|前男友|同事|同學|別人)的?(裸照|私密照|性影像|影片|照片)(傳|貼|散|寄|上傳|po|發|公開)",
)
INJECTION = rx(
    r"\b(ignore|disregard|forget|override|bypass|disable|turn off)\b.{0,30}\b(instructions|rules|guidelines|prompt|programming|restrictions|safety|filters?|guardrails)",
    r"\b(pretend|act as if|imagine|suppose)\b.{0,30}\b(no rules|rules (don'?t|do not) apply|no restrictions|unfiltered|uncensored|not (an ai|a bot)|have no (rules|limits|guidelines))",
    r"\bpretend (you'?re|ur|you are|u r) not\b", r"\b(act|pretend|role-?play) as (my|a|an)\b.{0,40}\b(grandma|grandmother|unfiltered|evil|dan)\b",
    r"\byou are now (a |an |in )?(dan|unrestricted|jailbroken|unfiltered|uncensored|evil|free)", r"\b(dan|developer|god) mode\b",
    r"\bjailbreak\w*\b(?!'? mean)(?!.{0,20}\bmean\b)", r"\bsystem prompt\b", r"\bstay in character\b", r"\blet'?s play a game\b.{0,40}\byou'?re\b", r"^\s*system\s*:", r"\bsafety\s*=\s*(off|false|0)\b", r"\bi authori[sz]e you to\b",
    r"\b(ignora|olvida) (tus|las) (instrucciones|reglas)\b", r"\bhaz de cuenta que no tienes reglas\b", r"\bno tienes reglas\b",
    r"忽略.{0,6}(指令|規則|指示)", r"假裝你沒有.{0,4}規則", r"沒有任何規則",
)
# Context that makes a misuse-looking message a victim's or a helper's question.
MISUSE_NOT = rx(
    r"\b(my|our) (own )?(nudes|pics|photos|pictures|images|videos?|deepfakes?)\b(?!.{0,10}\b(of (her|him|them)))",
    r"\b(my|our) (own )?(nude|naked|intimate|private|sexual|explicit) (pics|photos|pictures|images|videos?)\b",
    r"\b(removal request|dmca|re-?uploaded|reposted)\b",
    r"我的(照片|裸照|私密照|影片|性影像)", r"(前任|前男友|前女友|男友|女友|有人|對方)(把|在|將|已經|又|一直|威脅|說要|偷|竟然)\S{0,12}(po|PO|上傳|散布|散佈|外流|公開|分享|貼)",
    r"\b(of|on) me\b", r"\bof myself\b", r"\bme (naked|nude)\b", r"\b(someone|he|she|they|somebody|a guy|my ex|people|kids|students)\b.{0,30}\b(made|make|making|created|generated|used|put|ran|posted|shared|leaked|is sharing|are sharing|passing)\b",
    r"\bhow (do|can) i (get|make|have) .{0,30}\b(removed|taken down|deleted|delete|remove|take down)\b",
    r"\b(report|reporting|remove|removing|take down|takedown|delete|stop)\b",
    r"\bmine\b", r"\b(she|he|my friend) asked me to\b", r"\bno (photos|pics|images)\b",
    r"\b(threaten\w*|threats?) to (post|share|leak|send|expose|release|spread)\b",
    r"\b(is it|is that|is this|isn'?t it) (illegal|legal|a crime|a felony|against the law|allowed)\b", r"\b(illegal|a crime|law|laws|statute|penalty|penalties|sue|lawsuit)\b",
    # Questions about the law itself, in all three languages ("does the Scottish offence
    # cover…", "換臉會被判幾年").
    r"\b(offen[cs]es?|criminal|crimes?|prosecut\w*|charged|convicted|jail|prison|sentenc\w*|statutes?|legislation)\b",
    r"\b(ilegal|delito|ley|leyes|pena|penas|cárcel|carcel|demandar|denunciar|condena\w*)\b",
    r"違法|犯法|法律|被判|判幾年|刑期|罰|罪|提告|告他|檢舉|報警|下架",
)
# Someone asking for or about support: a misuse resemblance alone never refuses them.
SUPPORT = rx(r"\b(hotline|helpline|survivors?|victims?|counsel\w*|advocates?|therap\w*|lawyer|attorney|police)\b",
             r"\b(línea|sobreviviente|víctima|abogad[oa]|policía|denunciar)\b", r"專線|被害人|受害者|律師|報警|警察")
MISUSE_FORCE = rx(_LOCATE,
                  # Asking how to evade the law is the opposite of asking about it.
                  r"\bwithout (getting |being )?(caught|charged|arrested|prosecuted|traced|committing)\b|\bnot get caught\b|"
                  r"\bsin que me (atrapen|descubran|denuncien)\b|不會被(抓|發現|告)|才不會被",
                  r"\b(get back at|hurt (him|her)|get even|payback|revenge|vengarme|teach (her|him) a lesson|so everyone sees|humiliate|expose (him|her))\b|報復",
                  r"\b(post|share|leak|send)(ing)? (hers|his|theirs)( back)?\b",
                  r"\b(want to|wanna|going to|gonna|i'?ll) (post|share|leak|send|expose) (her|his|their) (nudes|naked|pics|photos|videos?)\b")

# ── asking the assistant to look at an image ──────────────────────────────────────────────
IMAGE = rx(
    r"\b(look at|see|check|analy[sz]e|review|examine|scan|verify)\b.{0,20}\b(my|this|the|these|a)\b.{0,10}\b(photo|picture|pic|image|video|screenshot|nude)s?\b",
    r"\b(can|could|should|may) i (send|upload|attach|share|show) (you )?(the |my |a |this )?(photo|picture|pic|image|video|screenshot|nude)s?",
    r"\b(here is|here'?s|attached|i (uploaded|attached|sent you))\b.{0,20}\b(photo|picture|pic|image|video|screenshot)",
    r"\btell (me )?if (it|this|the (photo|picture|image|video)) is (fake|real|a deepfake)", r"\bte mando (la |una )?captura\b",
    r"\b(ver|revisar|enviar|mandar) (la|mi|esta) (foto|imagen)", r"(看|檢查|上傳|傳).{0,4}(我的)?(照片|圖片|影片)",
)
