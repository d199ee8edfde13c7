"""The fixed sentences of Recourse's voice, in each language we answer in.

Wording only: no phone numbers, statute numbers or addresses (those come from knowledge/).
Every function takes `lang` and falls back to English.
"""

from __future__ import annotations

import re

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "crisis": "I'm really glad you told me. Your safety matters more than anything else here. "
                  "Please reach out right now — you don't have to go through this alone:",
        "crisis_earlier": "Earlier you told me how bad things feel. If you are still thinking about dying, please reach out now:",
        "danger": "If you are in danger right now, call emergency services first. When you are "
                  "safe, these people can help:",
        "minor": "Because someone under 18 is involved, there are special protections. Please do "
                 "not copy, forward, screenshot or save the images — even to report them. Tell a "
                 "trusted adult, and use these services made for young people:",
        "minor_adult_tools": "Tools for adults, such as StopNCII, are not the right route for "
                             "images of someone under 18.",
        "minor_short": "Because someone under 18 is involved: don't copy, forward or save the images, "
                       "even to report them, and tell a trusted adult. Adult tools such as StopNCII are "
                       "not the right route.",
        "refuse": "I can't help with that. Recourse only helps people protect themselves and "
                  "others from image-based abuse — it never helps create, find, identify or spread "
                  "intimate images of anyone.",
        "injection": "I can't change how I work. I'm here to help with image-based abuse: your "
                     "rights, reporting and getting images taken down. What would you like to know?",
        "image": "Please don't upload, send or share any images with me — I can't look at them, "
                 "and I never accept them. Keeping images off chat tools protects you. Hashing tools "
                 "like StopNCII and Take It Down work on your own device, so your pictures never "
                 "leave it.",
        "image_minor": "Please don't upload, send or share any images with me — I can't look at them, "
                       "and I never accept them. Take It Down works on your own device, so the pictures "
                       "never leave it.",
        "validate": "I'm sorry this is happening to you. It is not your fault.",
        "found": "Here is what my sources say:",
        "steps": "What you can do next:",
        "help": "People who can help:",
        "not_found": "I could not find this in my sources, so I don't want to guess. Could you "
                     "rephrase your question or tell me more (for example, where you live or which "
                     "website is involved)? You can also talk to a person:",
        "empty": "I'm here to help. Tell me what happened or what you'd like to know — for "
                 "example, how to get images removed, or what the law says where you live.",
        "too_long": "Your message was very long, so I read the first part of it.",
        "greeting": "Hi, I'm here to help. You can tell me what happened — for example, if someone shared or is threatening to share intimate images of you, or made a fake one — and I'll give you a short plan. Or ask me about the law where you live.",
        "out_of_scope": "I can only help with intimate images shared or threatened without consent, sexual deepfakes and sextortion, so I can't answer this one well. For other legal problems, a legal aid service can help:",
        "out_of_scope_nowhere": "I can only help with intimate images shared or threatened without consent, sexual deepfakes and sextortion, so I can't answer this one well. A local legal aid service or lawyer can help with other legal problems.",
        "crisis_offer": "When you feel ready, I can also help with the images — getting them taken down and what the law says. There's no rush.",
        "plan_title": "What you can do now:",
        "talk": "Talk to a person:",
        "no_law_place": "I don't have the law of {place} in my sources yet, so I can't tell you what it says. These steps work wherever you are.",
        "expand_missing": "I don't have a step {n} in the plan for this conversation. Tell me what happened and I'll make one.",
        "task_intro": "Here is your letter, filled in with what you told me. Replace anything in [brackets], check it, then send it to the platform:",
        "task_more": "You can also edit it and download it in the Take action tab.",
        "too_long_reject": "That message is too long for me to read. Could you tell me the main "
                           "part in a few sentences? You can also talk to a person:",
        "storage": "I'm sorry — something went wrong on my side and I can't look up my sources "
                   "right now. Please try again in a few minutes. You can talk to a person now:",
        "ask_age": "Were you under 18 when the image was taken? That changes which removal tools work.",
        "ask_platform": "Which website or app is it on? I can then show you that platform's own report route.",
        "ask_place": "Which state or country are you in? The law depends on it.",
        "if_in_us": "If you are in the US: {title}",
        "llm_failed": "The AI model could not be reached, so this answer was put together "
                      "directly from my sources.",
        "llm_bad_citations": "The AI model's answer did not cite my sources correctly, so this "
                             "answer was put together directly from my sources.",
        "sources": "Sources",
        "verified": "last verified",
        "safety_net": "If it ever feels like too much:",
    },
    "es": {
        "crisis": "Me alegra que me lo hayas dicho. Tu seguridad es lo más importante. Por favor, "
                  "busca ayuda ahora mismo; no tienes que pasar por esto sola ni solo:",
        "crisis_earlier": "Antes me contaste lo mal que te sientes. Si sigues pensando en morir, busca ayuda ahora:",
        "danger": "Si estás en peligro ahora mismo, llama primero a emergencias. Cuando estés a "
                  "salvo, estas personas pueden ayudarte:",
        "minor": "Como hay una persona menor de 18 años, hay protecciones especiales. No copies, "
                 "reenvíes ni guardes las imágenes, ni siquiera para denunciarlas. Habla con un "
                 "adulto de confianza y usa estos servicios para jóvenes:",
        "minor_adult_tools": "Las herramientas para adultos, como StopNCII, no son la vía correcta "
                             "para imágenes de menores de 18 años.",
        "minor_short": "Como hay una persona menor de 18 años: no copies, reenvíes ni guardes las "
                       "imágenes, ni siquiera para denunciarlas, y habla con un adulto de confianza. "
                       "Las herramientas para adultos, como StopNCII, no son la vía correcta.",
        "refuse": "No puedo ayudar con eso. Recourse solo ayuda a proteger a las personas del abuso "
                  "con imágenes íntimas; nunca ayuda a crear, buscar, identificar ni difundir "
                  "imágenes íntimas de nadie.",
        "injection": "No puedo cambiar mi forma de trabajar. Estoy aquí para ayudar con el abuso "
                     "con imágenes íntimas: tus derechos, cómo denunciar y cómo retirar imágenes.",
        "image": "Por favor, no me envíes ni subas imágenes: no puedo verlas y nunca las acepto. "
                 "Las herramientas de huella digital (hash) como StopNCII y Take It Down funcionan "
                 "en tu propio dispositivo.",
        "image_minor": "Por favor, no me envíes ni subas imágenes: no puedo verlas y nunca las acepto. "
                       "Take It Down funciona en tu propio dispositivo.",
        "validate": "Siento mucho que te esté pasando esto. No es tu culpa.",
        "found": "Esto es lo que dicen mis fuentes:",
        "steps": "Qué puedes hacer ahora:",
        "help": "Quién puede ayudarte:",
        "not_found": "No encontré esto en mis fuentes y no quiero adivinar. ¿Puedes reformular tu "
                     "pregunta o contarme más? También puedes hablar con una persona:",
        "empty": "Estoy aquí para ayudarte. Cuéntame qué pasó o qué quieres saber.",
        "too_long": "Tu mensaje era muy largo; leí la primera parte.",
        "greeting": "Hola, estoy aquí para ayudarte. Cuéntame qué pasó (por ejemplo, si alguien compartió o amenaza con compartir imágenes íntimas tuyas, o hizo una falsa) y te daré un plan corto. También puedes preguntarme por la ley de tu lugar.",
        "out_of_scope": "Solo puedo ayudar con imágenes íntimas compartidas o amenazadas sin consentimiento, deepfakes sexuales y sextorsión, así que no puedo responder bien a esto. Para otros problemas legales, un servicio de asistencia legal puede ayudarte:",
        "out_of_scope_nowhere": "Solo puedo ayudar con imágenes íntimas compartidas o amenazadas sin consentimiento, deepfakes sexuales y sextorsión, así que no puedo responder bien a esto. Un servicio local de asistencia legal o un abogado puede ayudarte con otros problemas legales.",
        "crisis_offer": "Cuando te sientas lista o listo, también puedo ayudarte con las imágenes: cómo quitarlas y qué dice la ley. No hay prisa.",
        "plan_title": "Qué puedes hacer ahora:",
        "talk": "Habla con una persona:",
        "no_law_place": "Todavía no tengo en mis fuentes la ley de {place}, así que no puedo decirte qué dice. Estos pasos sirven estés donde estés.",
        "expand_missing": "No tengo un paso {n} en el plan de esta conversación. Cuéntame qué pasó y te preparo uno.",
        "task_intro": "Aquí está tu carta, completada con lo que me contaste. Cambia lo que está entre [corchetes], revísala y envíala a la plataforma:",
        "task_more": "También puedes editarla y descargarla en la pestaña Take action.",
        "too_long_reject": "Ese mensaje es demasiado largo para mí. ¿Puedes contarme lo principal "
                           "en pocas frases? También puedes hablar con una persona:",
        "storage": "Lo siento: algo falló de mi lado y ahora no puedo consultar mis fuentes. "
                   "Inténtalo de nuevo en unos minutos. Ya puedes hablar con una persona:",
        "ask_place": "¿En qué estado o país estás? La ley depende de eso.",
        "if_in_us": "Si estás en EE. UU.: {title}",
        "ask_age": "¿Tenías menos de 18 años cuando se tomó la imagen? Eso cambia qué herramientas sirven.",
        "ask_platform": "¿En qué sitio web o aplicación está? Así te muestro cómo denunciarlo allí.",
        "llm_failed": "No se pudo contactar el modelo de IA; esta respuesta sale directamente de mis fuentes.",
        "llm_bad_citations": "La respuesta del modelo de IA no citaba bien mis fuentes; esta respuesta sale directamente de ellas.",
        "sources": "Fuentes",
        "safety_net": "Si en algún momento todo se vuelve demasiado:",
        "verified": "verificado",
    },
    "zh-TW": {
        "crisis": "謝謝你願意說出來。你的安全比什麼都重要。請現在就聯絡能幫助你的人，你不必獨自面對：",
        "crisis_earlier": "你之前說過你很難受。如果你仍有輕生的念頭，請現在就聯絡：",
        "danger": "如果你現在有危險，請先撥打緊急電話。安全之後，這些單位可以幫助你：",
        "minor": "因為涉及未滿18歲的人，有特別的保護。請不要複製、轉傳、截圖或保存這些影像，即使是為了檢舉。"
                 "請告訴信任的大人，並使用這些專為年輕人提供的服務：",
        "minor_adult_tools": "StopNCII 等成人工具不適用於未滿18歲者的影像。",
        "minor_short": "因為涉及未滿18歲的人：請不要複製、轉傳或保存這些影像，即使是為了檢舉，並告訴信任的大人。StopNCII 等成人工具不適用。",
        "refuse": "我無法協助這件事。Recourse 只幫助人們保護自己與他人免於影像性暴力，絕不協助製作、尋找、辨識或散布任何人的私密影像。",
        "injection": "我無法改變我的運作方式。我可以協助你了解權利、如何檢舉以及如何移除影像。",
        "image": "請不要上傳或傳送任何影像給我，我無法查看，也從不接受影像。StopNCII 和 Take It Down 等雜湊工具只在你自己的裝置上運作。",
        "image_minor": "請不要上傳或傳送任何影像給我，我無法查看，也從不接受影像。Take It Down 只在你自己的裝置上運作。",
        "validate": "很遺憾你遇到這件事。這不是你的錯。",
        "found": "我的資料來源說明如下：",
        "steps": "接下來你可以做的事：",
        "help": "可以求助的單位：",
        "not_found": "我在資料來源中找不到這個問題的答案，不想亂猜。可以換個方式描述或告訴我更多嗎？你也可以向專人求助：",
        "empty": "我在這裡幫你。請告訴我發生了什麼事，或你想知道什麼。",
        "too_long": "你的訊息很長，我先閱讀了前面的部分。",
        "greeting": "你好，我在這裡幫你。你可以告訴我發生了什麼事，例如有人散布或威脅散布你的私密影像，或用AI做了假的影像，我會給你一份簡短的行動計畫。你也可以問我你所在地的法律。",
        "out_of_scope": "我只能協助未經同意散布或威脅散布私密影像、性深偽影像和性勒索的問題，所以這個問題我沒辦法好好回答。其他法律問題，法律扶助單位可以幫你：",
        "out_of_scope_nowhere": "我只能協助未經同意散布或威脅散布私密影像、性深偽影像和性勒索的問題，所以這個問題我沒辦法好好回答。其他法律問題，可以找當地的法律扶助單位或律師。",
        "crisis_offer": "等你準備好了，我也可以幫你處理影像的事：怎麼讓它下架，以及法律怎麼說。不用急。",
        "plan_title": "你現在可以做的事：",
        "talk": "找人談談：",
        "no_law_place": "我的資料來源裡還沒有{place}的法律，所以沒辦法告訴你法律怎麼規定。以下步驟在任何地方都適用。",
        "expand_missing": "這段對話的計畫裡沒有第{n}步。告訴我發生了什麼事，我會幫你整理。",
        "task_intro": "這是根據你告訴我的內容填好的信。請把[括號]裡的部分換掉、檢查後再寄給平台：",
        "task_more": "你也可以在「Take action」分頁編輯並下載。",
        "too_long_reject": "這則訊息太長，我沒辦法閱讀。可以用幾句話告訴我重點嗎？你也可以向專人求助：",
        "storage": "很抱歉，我這邊出了問題，目前無法查詢資料來源。請過幾分鐘再試。你現在就可以向專人求助：",
        "ask_place": "請問你在哪個國家或地區？法律因地而異。",
        "if_in_us": "如果你在美國：{title}",
        "ask_age": "影像拍攝時你未滿18歲嗎？未成年與成年的移除管道不同。",
        "ask_platform": "影像在哪個網站或 App 上？我可以告訴你該平台的檢舉方式。",
        "llm_failed": "無法連線到 AI 模型，這個回答直接取自我的資料來源。",
        "llm_bad_citations": "AI 模型的回答沒有正確引用資料來源，這個回答直接取自我的資料來源。",
        "sources": "資料來源",
        "safety_net": "如果你覺得撐不下去：",
        "verified": "最後查核",
    },
}


def phrase(key: str, lang: str = "en") -> str:
    return PHRASES.get(lang, PHRASES["en"]).get(key) or PHRASES["en"][key]


_SPANISH = re.compile(r"\b(qué|que|cómo|como|mis|fotos|ayuda|puedo|hacer|permiso|íntimas|sin|por|"
                      r"denunciar|quiero|tengo|mi|una|un|hombre|mujer|ella|él|está|estoy)\b", re.I)


def detect_lang(text: str) -> str:
    """A cheap guess at the message's language: zh-TW, es or en."""
    if re.search(r"[\u3400-\u9fff]", text):
        return "zh-TW"
    if len(_SPANISH.findall(text)) >= 2 or re.search(r"[¿¡ñ]", text):
        return "es"
    return "en"
