"""The word lists the understand stage reads facts with (English, Spanish, Traditional Chinese).

Kept apart from the logic so a reviewer can read every phrase that sets a fact. Patterns run on
lower-cased text.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern:
    return re.compile("|".join(parts), re.I)


NUM = r"(\d{1,2})"
HARMS = {
    "posted": _rx(r"\b(posted|post(ed|ing) (it|them|my|our)|uploaded|upload(ed)?|put (it|them|my \w+) (up|on|online)|"
                  r"leaked|shared|spread(ing)?|went viral|published|is (up )?on (pornhub|reddit|x|twitter|onlyfans|a site|a website)|"
                  r"are (up )?on|(found|saw) (my|our|the) \w+ (on|in)|(?<!met )online)\b",  # "met online" is how, not where
                  r"\b(subi[óo]|subiendo|public[óo]|compart(i[óo]|ieron)|filtr(ó|o|aron)|difundi(ó|o|eron)|colg(ó|aron)|est[áa]n? en|"
                  r"(las|los|la|lo) (puso|pusieron|subi[óo])|encontr\w* en)\b",
                  r"(po文|po了|po到|po在|上po|貼到|貼在|傳到[^，。,]{0,12}上|傳到[a-z]|放到|放上|放在[^，。,]{0,8}(網站|帳號|上)|"
                  r"上傳|外流|散布|散佈|流出|公開|分享了|有我的?(裸照|影片|照片)|發現(那部|我的)?(影片|裸照))"),
    "threatened": _rx(r"\b(threat\w*|(going to|gonna|will|'ll|would) (post|share|send|leak|upload|release|show)|"
                      r"(says?|saying|said) (he|she|they)('ll| will| would)|unless i|if i don'?t|or (else|he|she|they) (will|'ll))\b",
                      r"\b(amenaz\w*|va a (subir|publicar|mandar|enviar)|si no le|o (se )?(l[oa]s?|le) (manda|publica|sube|env[íi]a))\b", r"(威脅|要脅|恐嚇|不然就|要散布|要公開|就要把|說要|說如果|要寄到|要傳給)"),
    "sextortion": _rx(r"\b(sextort\w*|blackmail\w*|extort\w*|wants? (money|\$|more (pics|photos|nudes|videos))|"
                      r"demand\w* (money|\$|more)|pay (him|her|them)|send (him|her|them) \$|\$\s?\d+|gift cards?|bitcoin|"
                      r"unless i (pay|send))\b", r"\$\s?\d+|\d+\s?(dollars|usd|euros?|€|pesos)\b",
                      r"\b(extorsi\w*|sextorsi\w*|chantaje\w*|(quiere|pide|pidi[óo]|exige) (dinero|plata|más)|pidiendo (dinero|plata)|tarjetas? de regalo)\b",
                      r"(勒索|要錢|要我付|匯款|性勒索|跟我要\d*\s?(錢|美金|美元|元|塊)|付錢|給錢|更多的?(照片|裸照|影片))"),
    "deepfake": _rx(r"\b(deep ?fakes?|ai[- ](made|generated|nudes?|porn|app)|fake (nudes?|porn|pics?|photos?|images?|video)|"
                    r"nudif\w*|undress\w*|photoshopp?ed|edited (my|our) (face|photo)|face[- ]?swap\w*|made with ai|"
                    r"(used|using) ai)\b",
                    r"\b(deepfake|falsas?|falsos?|montaje|con ia|inteligencia artificial|con mi cara)\b", r"(深偽|換臉|ai合成|合成|變臉|假的裸照|假的色情|假的?(影片|裸照)|用我的臉|脫成裸|脫衣|"
                    r"(?<![a-z])ai(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])ai(?![a-z]))"),
    "recorded": _rx(r"\b(secretly (filmed|recorded|taped)|hidden cam\w*|spy ?cam\w*|without (my )?(knowing|knowledge|consent)[^.]{0,30}(film|record|video)|"
                    r"(filmed|recorded) (me|us)[^.]{0,40}(without|secret)|camera in)\b",
                    r"\b((me|nos) grab(ó|o|aron)|grab(ó|o|aron) sin|c[áa]mara oculta)\b", r"(偷拍|針孔|偷錄|密錄|鏡頭|攝影機|有人在錄|錄我)"),
    "sent_to_contacts": _rx(r"\b(sent (it|them|the \w+|my \w+) to (my|our|his|her)|send (it|them) to (my|all)|"
                            r"to my (family|mom|mum|dad|parents|boss|employer|friends|school|classmates|coworkers|followers)|"
                            r"group ?chat|whole school|(my|the) class)\b",
                            r"\b(a mi (familia|mam[áa]|pap[áa]|jefe)|a mis (amigos|padres|compañeros)|grupo de)\b",
                            r"(傳給我(家人|媽|爸|朋友|同事|同學)|班群|群組|傳到群)"),
}
WHO = {
    "partner": _rx(r"\b(ex|my ex\w*|ex-?(boyfriend|girlfriend|husband|wife|partner|bf|gf)|boyfriend|girlfriend|"
                   r"husband|wife|partner|bf|gf|fianc[ée]e?|spouse|baby ?daddy|the father of my|"
                   # Said without the word: "someone I used to date", "if I leave him", "we broke up".
                   r"(someone|a (guy|girl|man|woman)|the (guy|girl|man|woman)) i (used to date|dated|was dating|was seeing)|"
                   r"i (used to date|dated|was dating) (him|her|them)|if i (leave|break up with|dump) (him|her|them)|"
                   r"(since|after|when) (i left|we broke up|we split)|we (broke up|split up|used to date))\b",
                   r"\b(mi ex|ex ?novi[oa]|novi[oa]|expareja|pareja|esposo|esposa|marido|si (lo|la) dejo|"
                   r"(alguien|un chico|una chica) con (quien|el que|la que) sal[íi]a|desde que (lo|la) dej[ée]|terminamos)\b",
                   r"(前男友|前女友|男友|女友|老公|老婆|前夫|前妻|男朋友|女朋友|伴侶|如果我離開他|如果我跟他分手|分手後|交往過)"),
    "classmate": _rx(r"\b(classmates?|someone (at|from) (my )?school|kids? at (my |her |his )?school|"
                     r"boy at (her|his|my) school|girl at (her|his|my) school|student)\b",
                     r"\b(compañer[oa]s? de (clase|escuela|colegio|instituto))\b", r"(同學|學長|學姊|學弟|學妹)"),
    "stranger": _rx(r"\b(stranger|someone i met online|met (him|her|them|someone) (on|online)|a (guy|girl|man|woman|account|person) (on|from)|"
                    r"(guy|girl|man|woman|person|someone) i (met|matched with|was talking to) (online|on)|"
                    r"scammer|hacker|hacked|random (guy|account|person)|fake (account|profile)|i don'?t know (him|her|them))\b",
                    r"\b(desconocid[oa]|un tipo|alguien que conoc[íi] (en|por) internet)\b", r"(陌生人|網友|不認識的人|駭客|詐騙)"),
    "unknown": _rx(r"\b(someone|somebody|anonymous|don'?t know who|no idea who|unknown)\b",
                   r"\b(alguien|an[óo]nimo|no s[ée] qui[ée]n)\b", r"(有人|不知道是誰|匿名)"),
}
DONE = {
    "reported_platform": _rx(r"\b(i|we|already) (reported|flagged)|reported (it|them|the \w+)|after (i|we) reported\b",
                             r"\b(ya (lo )?(report|denunci)[ée]|report[ée])\b", r"(檢舉了|已經檢舉|回報了)"),
    "sent_removal_request": _rx(r"\b(sent|submitted|filed|made) (a |the |my )?(take it down|removal|takedown|tida|dmca)( act)? (request|notice|form)?",
                                r"\b(sent|submitted) (the|a|my) request\b",
                                r"\b(envi[ée]|mand[ée]) (la|una) solicitud\b", r"(送出了?(移除|下架)(申請|請求)|已經申請(移除|下架))"),
    "paid": _rx(r"\b(i|already) (paid|sent (him|her|them) (money|\$))\b|\bpaid (him|her|them)\b",
                r"\b(ya )?pagu[ée]\b|\ble pagu[ée]\b", r"(已經付|付了錢|匯了)"),
    # The site or app did not remove it after being asked: time for its host, registrar and payments.
    "request_ignored": _rx(r"\b(won'?t|will not|refuse[sd]? to|refusing to|didn'?t|did not|hasn'?t|haven'?t|never) "
                           r"(take|took|taken|remove[sd]?|delete[sd]?) (it|them|my \w+|the \w+|anything)|"
                           r"ignor\w* (my|the|our|all my|every) (request|report|email|takedown|notice)\w*|"
                           r"(is |are )?still (up|online|there|on the site) (after|even after|despite)|"
                           r"(no|never got an?|got no) (reply|response|answer) (from|to) (the site|them|my request)|"
                           r"site (won'?t|will not|refuses to) (respond|reply|remove|take)",
                           r"\bno (lo|la|los|las) (quieren quitar|quitan|quitaron|borran|borraron|eliminan|eliminaron)\b|"
                           r"\bignor\w+ (mi|la|mis) (solicitud|denuncia|reporte)\w*|\bsigue(n)? (publicad\w+|en l[íi]nea) (despu[ée]s|aunque)",
                           r"((不肯|不願意?|一直沒有?|還沒有?)(刪|下架|移除)|不理(我|會)|沒(有)?回應|(還|仍)在網上)"),
    "told_police": _rx(r"\b(told|called|went to|reported (it )?to|contacted) the (police|cops)|police report|filed a report\b",
                       r"\b(denunci[ée] (a|ante) la polic[íi]a|fui a la polic[íi]a)\b", r"(報警了|報案了|已經報案)"),
}
# The images were made with a "nudify" / "undress" app or site (its app store, host and payments
# can be reported): named as such, or "an app" in a message about a fake.
NUDIFY_NAMED = _rx(r"\b(nudif\w*|undress\w*|clothoff|deepnude)\b|\b(app|website|site|bot) (that|to) (undress\w*|strip\w*|"
                   r"remove[sd]? (the |my |her |his )?cloth\w*)",
                   r"\b(app|aplicaci[óo]n|p[áa]gina|bot) (para|que) desnud\w+",
                   r"(一鍵脫衣|脫衣|去衣)")
APP_USED = _rx(r"\b(used|with|using|through|on) an? (ai )?(app|bot|website)\b",
               r"\b(con|usando) una (app|aplicaci[óo]n|p[áa]gina)\b", r"(用|透過)(AI|ai)?(App|app|軟體|程式|網站)")
# Ages.
WRITER_AGE = _rx(rf"\b(?:i'?m|i am|im|am) (?:only |just )?{NUM}\b(?! (?:days?|weeks?|months?|hours?|minutes?|times?|%|dollars?))",
                 rf"\b{NUM} ?(?:years? old|yo|y/o)\b(?=[^.]{{0,20}}\b(?:and|i|me)\b)", rf"\btengo {NUM}\b", rf"我(?:才|今年)?{NUM} ?歲",
                 rf"(?<![友兒子妹弟孩她他\d]){NUM} ?歲(?![的時])")  # "…，23歲" "26歲女生": the writer
PICTURED_AGE = _rx(rf"\b(?:when i was|i was only|i was) {NUM}\b", rf"\bcuando ten[íi]a {NUM}\b", rf"我{NUM}歲的時候",
                   rf"(?:朋友|她|他)(?:才|今年)?{NUM} ?歲", rf"\b(?:amig[oa]|herman[oa]) tiene {NUM}\b", rf"\bhij[oa] \({NUM}\)",
                   rf"\b(?:she|he|they) (?:is|was|'s) (?:only )?{NUM}\b", rf"\b(?:of|pics of|photos of) (?:a |my )?{NUM}[- ]year[- ]old\b")
CHILD_AGE = _rx(rf"\bmy (?:\d+ )?(?:daughter|son|kid|child|niece|nephew|sister|brother|stepdaughter|stepson)(?: is| who is|,)? (?:only )?{NUM}\b",
                rf"\bmy {NUM}[- ](?:year[- ]old|yo)\b(?!-)",  # "my 12-year-old (daughter)": a parent
                rf"\bmi hij[oa] (?:de|tiene) {NUM}\b", rf"我(?:女兒|兒子|孩子|妹妹|弟弟)(?:才|今年)?{NUM} ?歲")
WRITER_ADULT = _rx(r"\b(i'?m an adult|i am an adult|i'?m over 18|my (husband|wife|boss|employer|coworkers?|job)|at work|"
                   r"i'?m (a|an) (\w+ )?(nurse|teacher|mom|mother|dad|father|lawyer))\b", r"\bsoy mayor de edad\b", r"(我成年了|已成年)")
WRITER_MINOR = _rx(r"\b(i'?m (a )?minor|i'?m under 18|i am under 18|in (high|middle) school|my (mom|mum|dad|parents) (will|would|can'?t)|"
                   r"(9th|10th|11th|8th|7th) grade|i'?m in (year|grade) \d)\b", r"\bsoy menor\b", r"(我未成年|我還是高中生|我國中|我高中)")
PARENT = _rx(r"\bmy (daughter|son|kid|child|teen|stepdaughter|stepson)\b", r"\bmi hij[oa]\b", r"(我女兒|我兒子|我的孩子)")
SOMEONE_ELSE = _rx(r"\bmy (daughter|son|kid|child|friend|sister|brother|niece|nephew|student|client|teen)\b|\b(of|about) (a|my) (friend|client)\b",
                   r"\bmi (hij[oa]|amig[oa]|herman[oa])\b", r"(我女兒|我兒子|我朋友|我妹|我弟|個案)")
SENT_WHEN = re.compile(r"(?:sent|submitted|filed|made|envi[ée]|mand[ée])[^.?!]{0,60}?\b(?P<when>(?:yesterday|today|this morning|last night|"
                       r"on \w+day|\d+ (?:hours?|days?) ago|ayer|hoy|hace \d+ (?:horas|d[íi]as))(?: at \d{1,2}(?::\d\d)? ?(?:am|pm)?)?)",
                       re.I)
URL = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
X_CONTEXT = re.compile(r"\b(on|in|to|from) x\b|x\.com|twitter|\bx \(|\bx/|/x\b|\bx app\b|在x(上|平台)|(?<![a-z])x上|\b(a|en) x\b")
# Places people name that we hold no platform file for (the platform files' aliases cover the rest).
OTHER_PLATFORMS = re.compile(r"\b(omegle|roblox|weibo|dcard|ptt|4chan|redgifs)\b", re.I)

# Intent.
GREETING = re.compile(r"(hi+|hello+|hey+|hola|buenas|buenos d[íi]as|你好|您好|哈囉|嗨|安安|hi there|hello\?|good (morning|evening)|"
                      r"can you help( me)?|are you there|is anyone there|help|ayuda|救命|ayúdame|necesito ayuda)[\s!?.。？！,]*",
                      re.I)
TASK = _rx(r"\b(write|draft|fill( in| out)?|prepare|make|generate|create|help me (write|draft|with (a|my|the))|give me a template)\b[^.?!]{0,40}"
           r"\b(request|notice|letter|takedown|report|summary|complaint|email|form|template)\b",
           r"\b(redact\w*|escrib\w*|ayúdame a escribir|hazme)\b[^.?!]{0,40}\b(solicitud|carta|aviso|denuncia|reporte)\b",
           r"(幫我寫|幫我擬|寫一封|擬一份|幫我填)")
# Out of scope by the person's own words: "no pics or anything sexual, just harassment", or a
# legal problem of another kind (eviction, custody, a song on YouTube) with nothing on topic.
NOT_ABOUT_IMAGES = _rx(r"\b(no|not any|without) (nude |naked |intimate |sexual )?(pics|pictures|photos|images|nudes|videos)\b"
                       r"|\b(or )?(anything|nothing) (sexual|explicit|intimate)\b|\bnot (sexual|explicit|intimate)\b",
                       r"\bsin (fotos|im[aá]genes|videos)\b|\bnada sexual\b",
                       r"沒有(照片|裸照|影像|性)|不是(性|裸)")
OFF_TOPIC = _rx(r"\b(evict\w*|landlord|tenant|divorce|custody|child support|green card|visa|immigration|deport\w*|"
                r"tax(es)?|parking ticket|speeding ticket|traffic (ticket|school)|overtime|unpaid wages|small claims|"
                r"bankrupt\w*|my (song|music|logo|artwork|book|brand)|trademark)\b",
                r"\b(desalojo|divorcio|custodia|impuestos|multa de tr[aá]nsito)\b", r"(離婚|監護權|房東|租約|報稅|罰單|簽證)")
TASKS = {
    "dmca": _rx(r"\bdmca\b", r"copyright|derechos de autor", r"著作權"),
    "police": _rx(r"\bpolice|report for the cops|summary for\b", r"polic[íi]a|denuncia", r"報案|警察"),
    "tida": _rx(r"take it down|removal request|takedown request|remov\w* request|48", r"solicitud de (retiro|eliminaci[óo]n)", r"移除|下架"),
    "platform": _rx(r"\breport\b|\bplatform\b", r"reporte", r"檢舉"),
}
# Asking for one of the helplines we list is in scope ("what's the 988 number?", "línea de crisis").
HELPLINE = _rx(r"\b(988|ccri|helplines?|hotlines?|crisis (line|text line)|lifeline|cybertipline|take it down|stopncii)\b",
               r"\b(l[íi]neas? (de )?(ayuda|crisis|988)|la 988)\b", r"(專線|熱線|安心專線|求助電話)")
ON_TOPIC = _rx(r"\b(nudes?|naked|intimate|sexual|sex tape|porn\w*|explicit|revenge|sextort\w*|deep ?fakes?|nudif\w*|"
               r"stop ?ncii|take it down|ncii|ncmec|cybertip\w*|image[- ]based|private (pics|photos|images|videos)|"
               r"(my|our) (pics|photos|pictures|images|videos?)|ccri|dmca|6851|removal request)\b",
               r"\b(desnud\w*|[íi]ntim\w*|sexual\w*|porno\w*|sextorsi\w*|deepfake|mis fotos|mis videos|packs?)\b",
               r"(私密|裸照|性影像|性私密|偷拍|深偽|換臉|不雅|色情|勒索|裸露)")
# What a person asks right after abuse, without naming the images: whether to delete, block or
# keep proof, or to have "it" taken down. In scope for the head's sake only (a "divorce evidence" question stays out of scope).
SAFETY_STEPS = _rx(r"\b(delete (everything|it all|all of it|the (messages|chats?|texts|posts?|photos|account))|"
                   r"taken down|take (them|this|that|the \w+|my \w+) down|get (it|them) (removed|off)|"
                   r"block (him|her|them|the account|his account|her account)|screenshots?|"
                   r"(keep|save|collect) (the )?(proof|evidence|messages|threats))\b",
                   r"\b(borr(o|ar) todo|bloquear(lo|la)?|capturas? de pantalla|guardar (las )?pruebas)\b",
                   r"(刪掉|刪除|封鎖|截圖|證據)")
# A parent asking how to protect a child before anything has happened ("how do I stop my
# 12-year-old getting nudes on her phone?"): the phone's own protections are the plan.
PREVENT = _rx(r"\b(stop|protect|prevent|keep|block|safe from|parental controls?)\b.{0,60}\b(nudes?|naked|sexual|explicit|"
              r"images?|pics|photos)\b|\bparental controls?\b",
              r"\b(protej\w*|proteger\w*|evitar|impedir|control parental)\b", r"(保護|防止|避免|家長監護|家長控制)")
# Asking what the law says or allows: legal steps are shown even before the place is known.
ASKS_LAW = _rx(r"\b(legal (rights?|options?)|my rights|(can|could) i (sue|press charges)|is (it|this|that) (illegal|a crime|against the law)|"
               r"what (law|laws)|which laws?|lawsuit|sue (him|her|them)|press charges)\b",
               r"\b(mis derechos|(puedo|podr[íi]a) demandar|es (un )?delito|es ilegal|qu[ée] ley(es)?|poner una demanda)\b",
               r"(我的權利|可以告|提告|犯法|違法|什麼法律|哪條法律)")
# The person speaks of themselves: a question about the law then asks about their own case
# ("can I sue my ex?"), not the law in general ("is it a crime in the UK to threaten…?").
FIRST_PERSON = _rx(r"\b(i|i'm|im|i've|me|my|mine|myself)\b", r"\b(yo|me|mis?|m[íi]os?|m[íi]as?)\b", r"我")
QUESTION_WORDS = _rx(r"\b(what|how|can|is|are|does|do|which|where|why|when|should)\b", r"[¿?]|\b(qu[ée]|c[óo]mo|puedo|es)\b", r"(嗎|什麼|怎麼|如何|可以)")
WHAT_TO_DO = _rx(r"\bwhat (else )?(do|can|could|should) i do\b|\bwhat now\b|\bhelp me\b|\bwhat are my options\b|\bnext steps?\b",
                 r"\bqu[ée] (hago|puedo hacer)\b", r"(怎麼辦|該怎麼做|我可以做什麼)")
EXPAND = re.compile(r"(?:more about|explain|expand|details? (?:on|of|about)|más sobre|第)\s*(?:step|paso)?\s*#?(\d)\b|(?:step|paso|步驟)\s*(\d)", re.I)
