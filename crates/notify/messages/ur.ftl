## Urdu (right to left) translation of en.ftl: messages to patients, referrers and staff.
## Each template has a text message (-sms), an email or letter (-subject, -body) and what
## staff say on a call (-call). Text messages go in UCS-2, so the -sms parts are kept short.
## Terms follow crates/web/locales/ur.ftl (ریفرل، ریفرنس، کلینیشن، اپائنٹمنٹ، انتظار کی فہرست).

# $contact is the key contact's name, or "none" when no one is named yet.
footer = { $contact ->
    [none] کوئی سوال ہو تو { $team } کو { $phone } پر کال کریں۔
   *[other] ہماری ٹیم میں آپ سے رابطے کے ذمہ دار { $contact } ہیں۔ کوئی سوال ہو تو { $team } کو { $phone } پر کال کریں۔
}

## The frame of a printed letter. $name is the addressee, $date today's date.
letter-greeting = محترم/محترمہ { $name }،
letter-date = تاریخ: { $date }
letter-reference = ہمارا ریفرنس: { $reference }
letter-nhs = NHS نمبر: { $nhs }
letter-signoff = مخلص،
letter-from = { $team } ٹیم
letter-other-formats = آپ یہ خط بڑے حروف (large print)، آسان زبان (easy read)، بریل، آڈیو یا کسی اور زبان میں مانگ سکتے ہیں۔ { $phone } پر کال کریں۔

## A copy to the carer or proxy the patient named. $patient is the patient's name.
carer-intro = یہ پیغام { $patient } کے لیے ہے۔ انہوں نے ہم سے کہا تھا کہ اس کی ایک کاپی آپ کو بھی بھیجیں۔

## The confirm-or-cancel link on booking confirmations and reminders. $link is its address.
appointment-links = ہمیں بتائیں کہ آپ آئیں گے، یا اگر نہیں آ سکتے تو منسوخ کریں: { $link }
appointment-links-sms = تصدیق یا منسوخ کریں: { $link }

# $code
sign_in_code-sms = آپ کا { $team } سائن ان کوڈ { $code } ہے۔ یہ صرف ایک بار، 10 منٹ تک کام کرے گا۔ یہ کوڈ کبھی کسی کو نہ بتائیں۔
sign_in_code-subject = آپ کا سائن ان کوڈ
sign_in_code-body =
    آپ کا سائن ان کوڈ { $code } ہے۔

    اسے سائن ان والے صفحے پر درج کریں۔ یہ صرف ایک بار کام کرتا ہے اور 10 منٹ بعد کام کرنا بند کر دیتا ہے۔
    اگر آپ نے کوڈ نہیں مانگا تھا تو آپ اس پیغام کو نظر انداز کر سکتے ہیں۔ یہ کوڈ کبھی کسی کو نہ بتائیں۔
sign_in_code-call = مریض نے سائن ان کوڈ مانگا ہے لیکن ان کے پاس موبائل یا ای میل نہیں ہے۔ اس کے بجائے فون پر ان کی مدد کرنے کی پیشکش کریں۔

# $reference
referral_received-sms = { $team }: آپ کا ریفرل ہمیں مل گیا ہے، ریفرنس { $reference }۔ ایک کلینیشن اس کا جائزہ لے کر آپ سے رابطہ کرے گا۔ علامات بہت بگڑ جائیں تو 111 پر کال کریں۔
referral_received-subject = ہمیں آپ کا ریفرل مل گیا ہے ({ $reference })
referral_received-body =
    شکریہ۔ { $team } کے لیے آپ کا ریفرل ہمیں مل گیا ہے۔ آپ کا ریفرنس نمبر { $reference } ہے۔

    آگے کیا ہوگا: ایک کلینیشن آپ کا ریفرل پڑھے گا اور فیصلہ کرے گا کہ ہماری کون سی سروس آپ کی سب سے بہتر مدد کر سکتی ہے۔ ہم آپ سے رابطہ کر کے آپ کو بتائیں گے۔

    انتظار کے دوران، جتنا آرام سے ہو سکے چلتے پھرتے رہیں۔ اگر آپ کے مقعد (پاخانے کی جگہ) یا جنسی اعضاء کے آس پاس نیا سُن پن ہو، پیشاب کرنے یا پاخانے پر قابو رکھنے میں نئی مشکل ہو، یا آپ کی ٹانگوں میں نئی کمزوری ہو، تو ابھی ایمرجنسی (A&E) جائیں یا 999 پر کال کریں۔
referral_received-call = مریض کو بتائیں کہ ان کا ریفرل ہمیں مل گیا ہے (ریفرنس { $reference }) اور ایک کلینیشن اس کا جائزہ لے گا۔

# $reference, $service
referral_accepted-sms = { $team }: { $service } نے آپ کا ریفرل { $reference } قبول کر لیا ہے۔ اب آپ { $portal } پر اپائنٹمنٹ منتخب کر سکتے ہیں یا { $phone } پر کال کریں۔
referral_accepted-subject = اپنی اپائنٹمنٹ منتخب کریں ({ $reference })
referral_accepted-body =
    ایک کلینیشن نے آپ کے ریفرل { $reference } کا جائزہ لیا ہے اور اسے { $service } میں قبول کر لیا ہے۔

    اب آپ اپنی سہولت کے مطابق اپائنٹمنٹ کا وقت اور جگہ منتخب کر سکتے ہیں۔ { $portal } پر سائن ان کریں، یا ہمیں { $phone } پر کال کریں اور ہم آپ کے ساتھ مل کر اپائنٹمنٹ بک کر دیں گے۔
referral_accepted-call = مریض کو بتائیں کہ ان کا ریفرل { $reference } { $service } میں قبول ہو گیا ہے، اور ابھی ان کے ساتھ اپائنٹمنٹ بک کرنے کی پیشکش کریں۔

# $reference, $date, $time, $location, $address
appointment_booked-sms = { $team }: آپ کی اپائنٹمنٹ { $date }، { $time } بجے، { $location } میں بک ہو گئی ہے۔ تبدیل کرنے کے لیے { $phone } پر کال کریں۔ ریفرنس { $reference }۔
appointment_booked-subject = { $date } کو آپ کی اپائنٹمنٹ
appointment_booked-body =
    آپ کی اپائنٹمنٹ بک ہو گئی ہے۔

    کب: { $date }، { $time } بجے
    کہاں: { $location }، { $address }

    براہ کرم ڈھیلے اور آرام دہ کپڑے پہنیں تاکہ کلینیشن درد والی جگہ کو دیکھ سکے اور اسے حرکت دے سکے۔ اگر آپ کو اپائنٹمنٹ تبدیل یا منسوخ کرنی ہو تو ہمیں { $phone } پر کال کریں، تاکہ یہ وقت کسی اور کو دیا جا سکے۔
appointment_booked-call = مریض کے ساتھ اپائنٹمنٹ کی تصدیق کریں: { $date }، { $time } بجے، { $location }۔

# $reference, $date, $time, $location, $address
appointment_cancelled-sms = { $team }: { $date }، { $time } بجے والی آپ کی اپائنٹمنٹ منسوخ ہو گئی ہے۔ نیا وقت { $portal } پر منتخب کریں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
appointment_cancelled-subject = { $date } کو آپ کی اپائنٹمنٹ منسوخ ہو گئی ہے
appointment_cancelled-body =
    آپ کے کہنے کے مطابق، { $date } کو { $time } بجے { $location } میں آپ کی اپائنٹمنٹ منسوخ کر دی گئی ہے۔

    آپ اب بھی ہماری انتظار کی فہرست میں ہیں۔ { $portal } پر کوئی اور وقت اور جگہ منتخب کریں، یا ہمیں { $phone } پر کال کریں اور ہم آپ کے ساتھ مل کر اپائنٹمنٹ بک کر دیں گے۔
appointment_cancelled-call = مریض کو بتائیں کہ { $date } کو { $time } بجے والی ان کی اپائنٹمنٹ منسوخ ہو گئی ہے، اور ابھی کوئی اور اپائنٹمنٹ بک کرنے کی پیشکش کریں۔

# $reference, $date, $time, $location, $address, $expires, $link
slot_offered-sms = { $team }: پہلے کی اپائنٹمنٹ خالی ہے: { $date }، { $time }، { $location }۔ { $expires } تک { $link } پر لیں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
slot_offered-subject = پہلے کی ایک اپائنٹمنٹ: { $date }، { $time } بجے
slot_offered-body =
    کسی نے اپنی اپائنٹمنٹ منسوخ کر دی ہے، اس لیے پہلے کی ایک اپائنٹمنٹ خالی ہے۔

    کب: { $date }، { $time } بجے
    کہاں: { $location }، { $address }

    اگر آپ یہ اپائنٹمنٹ لینا چاہیں تو { $expires } تک لے لیں: { $link } پر سائن ان کریں یا ہمیں { $phone } پر کال کریں۔ ہم نے یہ اپائنٹمنٹ چند لوگوں کو پیش کی ہے، اور جو پہلے لے گا اسے ملے گی۔ اگر یہ آپ کے لیے مناسب نہیں تو کچھ نہ کریں: انتظار کی فہرست میں آپ کی جگہ برقرار رہے گی۔
slot_offered-call = مریض کو پہلے کی ایک اپائنٹمنٹ پیش کریں: { $date }، { $time } بجے، { $location }۔ اسے { $expires } تک لینا ضروری ہے۔
slot_gone-sms = { $team }: { $date }، { $time } بجے والی پہلے کی اپائنٹمنٹ کسی اور نے لے لی ہے۔ انتظار کی فہرست میں آپ کی جگہ برقرار ہے۔ ریفرنس { $reference }۔
slot_gone-subject = پہلے کی اپائنٹمنٹ اب دستیاب نہیں
slot_gone-body =
    ہم نے آپ کو { $date } کو { $time } بجے کی جو پہلے کی اپائنٹمنٹ پیش کی تھی، وہ کسی اور نے لے لی ہے۔

    انتظار کی فہرست میں آپ کی جگہ برقرار ہے، اور کوئی اور وقت خالی ہونے پر ہم آپ کو بتائیں گے۔
slot_gone-call = مریض کو بتائیں کہ { $date } کو { $time } بجے والی پہلے کی اپائنٹمنٹ اب دستیاب نہیں؛ ان کی جگہ برقرار ہے۔

# $reference
emergency_advice-sms = { $team }: آپ کے جوابات کے مطابق آپ کو ابھی طبی مدد کی ضرورت ہے۔ آج ہی ایمرجنسی (A&E) جائیں یا 999 پر کال کریں۔ ہمارا انتظار نہ کریں۔ ریفرنس { $reference }۔
emergency_advice-subject = ابھی طبی مدد حاصل کریں ({ $reference })
emergency_advice-body =
    { $reference } کے بارے میں آپ کے کچھ جوابات کسی سنگین مسئلے کی علامت ہو سکتے ہیں جس کی آج ہی جانچ ضروری ہے۔

    ابھی اپنے قریب ترین ایمرجنسی (A&E) جائیں، یا 999 پر کال کریں۔ ہمارے ساتھ اپائنٹمنٹ کا انتظار نہ کریں۔

    یہ پیغام، یا اپنا ریفرنس نمبر { $reference }، اپنے ساتھ لے جائیں۔ ہماری ٹیم کے ایک کلینیشن کو بھی بتا دیا گیا ہے اور وہ آپ کا ریفرل چیک کریں گے۔
emergency_advice-call = فوری: ابھی مریض کو کال کریں۔ ان کے جوابات (ریفرنس { $reference }) میں ایمرجنسی کی خطرے کی علامت (ریڈ فلیگ) ہے۔ انہیں بتائیں کہ آج ہی ایمرجنسی (A&E) جائیں یا 999 پر کال کریں، اور کال کا ریکارڈ درج کریں۔

# $reference
call_back_today-sms = { $team }: ایک کلینیشن آج آپ کو آپ کے ریفرل { $reference } کے بارے میں فون کرے گا۔ اس سے پہلے طبیعت بہت بگڑ جائے تو 111 پر، اور ایمرجنسی میں 999 پر کال کریں۔
call_back_today-subject = ہم آج آپ کو فون کریں گے ({ $reference })
call_back_today-body =
    { $reference } کے بارے میں آپ کے کچھ جوابات کا مطلب ہے کہ کسی کلینیشن کو آج ہی آپ سے بات کرنی چاہیے۔

    ہم آج آپ کو فون کریں گے۔ براہ کرم اپنا فون پاس رکھیں۔ اگر ہماری آپ سے بات نہ ہو سکی تو ہم دوبارہ کوشش کریں گے۔

    اگر ہمارے فون کرنے سے پہلے آپ کی طبیعت بہت زیادہ خراب ہو جائے تو 111 پر کال کریں۔ ایمرجنسی میں 999 پر کال کریں۔
call_back_today-call = ریفرل { $reference } کے بارے میں آج ہی مریض کو کال کریں: ان کے ایک جواب کی وجہ سے آج ہی کلینیشن کا ان سے بات کرنا ضروری ہے۔

# $reference, $advice
advice_given-sms = { $team }: ایک کلینیشن نے آپ کے ریفرل { $reference } کا جائزہ لے کر آپ کو مشورہ بھیجا ہے۔ اسے { $portal } پر پڑھیں یا { $phone } پر کال کریں۔
advice_given-subject = آپ کے ریفرل کے بارے میں مشورہ ({ $reference })
advice_given-body =
    ایک کلینیشن نے آپ کے ریفرل { $reference } کا جائزہ لیا ہے۔

    ان کا مشورہ:
    { $advice }

    اگر حالت بہتر نہ ہو، یا بگڑ جائے، تو آپ کسی بھی وقت خود کو دوبارہ ریفر کر سکتے ہیں یا ہمیں { $phone } پر کال کر سکتے ہیں۔
advice_given-call = ریفرل { $reference } کے بارے میں کلینیشن کا مشورہ مریض کو پڑھ کر سنائیں: { $advice }

# $reference, $question
question_from_clinician-sms = { $team }: ایک کلینیشن آپ کے ریفرل { $reference } کے بارے میں کچھ پوچھنا چاہتا ہے۔ براہ کرم { $portal } پر جواب دیں یا { $phone } پر کال کریں۔
question_from_clinician-subject = آپ کے ریفرل کے بارے میں ایک سوال ({ $reference })
question_from_clinician-body =
    آپ کے ریفرل { $reference } کا جائزہ لینے والے کلینیشن کا آپ سے ایک سوال ہے:

    { $question }

    براہ کرم { $portal } پر سائن ان کر کے جواب دیں، یا ہمیں { $phone } پر کال کریں۔ آپ کا جواب ملتے ہی ہم آپ کے ریفرل پر کام آگے بڑھائیں گے۔
question_from_clinician-call = ریفرل { $reference } کے بارے میں مریض سے یہ سوال پوچھیں اور ان کا جواب درج کریں: { $question }

# $reference, $patient, $born, $nhs
referral_acknowledged-sms = { $team }: آپ کا ریفرل { $reference } ہمیں موصول ہو گیا ہے۔
referral_acknowledged-subject = ریفرل موصول ہوا: { $reference }
referral_acknowledged-body =
    محترم/محترمہ { $addressee }،

    { $patient } (تاریخ پیدائش { $born }، NHS نمبر { $nhs }) کے لیے آپ کا ریفرل ہمیں موصول ہو گیا ہے۔ ہمارا ریفرنس { $reference } ہے۔

    ایک کلینیشن اس کی ٹرائج کرے گا اور ہم آپ کو نتیجہ بتائیں گے۔ اگر مریض کی حالت بدل جائے تو ریفرنس { $reference } بتا کر ہمیں { $phone } پر کال کریں۔
referral_acknowledged-call = ریفر کرنے والے کو تصدیق کریں کہ ریفرل { $reference } موصول ہو گیا ہے۔

# $reference, $advice, $patient, $born, $nhs
advice_and_guidance-sms = { $team }: ریفرل { $reference } کے بارے میں مشورہ اور رہنمائی بھیج دی گئی ہے۔
advice_and_guidance-subject = مشورہ اور رہنمائی: { $reference }
advice_and_guidance-body =
    محترم/محترمہ { $addressee }،

    ایک کلینیشن نے { $patient } (تاریخ پیدائش { $born }، NHS نمبر { $nhs }) کے لیے آپ کے ریفرل، ریفرنس { $reference }، کا جائزہ لیا ہے۔ ہمارے ساتھ اپائنٹمنٹ کے بجائے، ان کا مشورہ یہ ہے:

    { $advice }

    ہم نے مریض کو بتا دیا ہے۔ اگر آپ اس پر بات کرنا چاہیں، یا مریض کی حالت بہتر نہ ہو، تو ہمیں { $phone } پر کال کریں یا دوبارہ ریفر کریں۔
advice_and_guidance-call = ریفرل { $reference } کے بارے میں کلینیشن کا مشورہ ریفر کرنے والے کو بتائیں: { $advice }

# $reference, $link
emergency_alert-sms = { $team }: ریفرل { $reference } پر ایمرجنسی ریڈ فلیگ ہے۔ ابھی جائزہ لیں: { $link }
emergency_alert-subject = ایمرجنسی ریڈ فلیگ: ابھی { $reference } کا جائزہ لیں
emergency_alert-body =
    { $addressee }،

    ایک نئے ریفرل، { $reference }، پر ایمرجنسی ریڈ فلیگ ہے۔ اس شخص کو ایمرجنسی (A&E) جانے یا 999 پر کال کرنے کو کہا گیا ہے۔

    ابھی اس کا جائزہ لیں اور انہیں کال کریں: { $link }
emergency_alert-call = ڈیوٹی پر موجود ٹرائج کلینیشن کو بتائیں کہ ریفرل { $reference } پر ایمرجنسی ریڈ فلیگ ہے۔

# $reference, $date, $time, $location, $address
appointment_reminder-sms = { $team }: یاد دہانی، آپ کی اپائنٹمنٹ { $date }، { $time } بجے، { $location } میں ہے۔ نہیں آ سکتے؟ { $portal } پر تبدیل کریں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
appointment_reminder-subject = یاد دہانی: { $date } کو آپ کی اپائنٹمنٹ
appointment_reminder-body =
    یہ آپ کی اپائنٹمنٹ کی یاد دہانی ہے۔

    کب: { $date }، { $time } بجے
    کہاں: { $location }، { $address }

    براہ کرم ڈھیلے اور آرام دہ کپڑے پہنیں، اور جو دوائیں آپ لیتے ہیں ان کی فہرست ساتھ لائیں۔ اگر آپ نہیں آ سکتے تو { $portal } پر اسے تبدیل یا منسوخ کریں یا ہمیں { $phone } پر کال کریں، تاکہ یہ وقت کسی اور کو دیا جا سکے۔
appointment_reminder-call = مریض کو { $date } کو { $time } بجے، { $location } میں ان کی اپائنٹمنٹ یاد دلائیں، اور پوچھیں کہ کیا وہ اب بھی آ سکتے ہیں۔

# $reference, $date, $time, $location, $address, $minutes
running_late-sms = { $team }: معذرت، آج کا کلینک تقریباً { $minutes } منٹ تاخیر سے چل رہا ہے۔ { $location } میں { $time } بجے والی آپ کی اپائنٹمنٹ دیر سے شروع ہوگی۔ ریفرنس { $reference }۔
running_late-subject = آج آپ کی اپائنٹمنٹ میں تاخیر ہے
running_late-body =
    ہم معذرت خواہ ہیں: آج کا کلینک تقریباً { $minutes } منٹ تاخیر سے چل رہا ہے۔

    { $location } میں { $time } بجے والی آپ کی اپائنٹمنٹ طے شدہ وقت سے تقریباً { $minutes } منٹ دیر سے شروع ہوگی۔ اگر آپ کے لیے آسان ہو تو آپ پہلے سے طے شدہ وقت پر ہی آ سکتے ہیں؛ ہم جتنی جلدی ہو سکے آپ کو دیکھیں گے۔
running_late-call = مریض کو بتائیں کہ آج { $location } میں { $time } بجے والی ان کی اپائنٹمنٹ تقریباً { $minutes } منٹ تاخیر سے ہے۔

# $reference, $date, $time, $location, $address
appointment_missed-sms = { $team }: { $date }، { $time } بجے کی اپائنٹمنٹ پر ہماری آپ سے ملاقات نہیں ہو سکی۔ براہ کرم { $portal } پر نیا وقت منتخب کریں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
appointment_missed-subject = { $date } کو ہماری آپ سے ملاقات نہیں ہو سکی
appointment_missed-body =
    { $date } کو { $time } بجے { $location } میں آپ کی اپائنٹمنٹ پر ہماری آپ سے ملاقات نہیں ہو سکی۔

    امید ہے آپ خیریت سے ہیں۔ آپ اب بھی ہماری فہرست میں ہیں: براہ کرم { $portal } پر کوئی اور وقت منتخب کریں، یا ہمیں { $phone } پر کال کریں۔ اگر اب آپ کو ہماری مدد کی ضرورت نہیں تو ہمیں بتا دیں، تاکہ یہ وقت کسی اور کو دیا جا سکے۔
appointment_missed-call = مریض کو بتائیں کہ { $date } کو { $time } بجے ہماری ان سے ملاقات نہیں ہو سکی، اور کوئی اور اپائنٹمنٹ بک کرنے کی پیشکش کریں۔

# $reference, $service
discharged_after_missed-sms = { $team }: آپ ایک سے زیادہ اپائنٹمنٹس پر نہیں آ سکے، اس لیے ہم نے آپ کا ریفرل { $reference } بند کر دیا ہے۔ اب بھی مدد چاہیے تو { $portal } پر دوبارہ ریفر کریں یا { $phone } پر کال کریں۔
discharged_after_missed-subject = آپ کا ریفرل { $reference } بند کر دیا گیا ہے
discharged_after_missed-body =
    آپ { $service } کی ایک سے زیادہ اپائنٹمنٹس پر نہیں آ سکے، اس لیے ہم نے آپ کا ریفرل { $reference } بند کر دیا ہے اور آپ کے جی پی (GP) کو بتا دیا ہے۔

    اگر آپ کو اب بھی مدد کی ضرورت ہے تو آپ کسی بھی وقت { $portal } پر خود کو دوبارہ ریفر کر سکتے ہیں یا ہمیں { $phone } پر کال کر سکتے ہیں۔ اگر کسی وجہ سے آنا مشکل تھا، جیسے وقت، جگہ یا آنے جانے کا مسئلہ، تو ہمیں بتائیں اور ہم اسے آسان بنانے کی کوشش کریں گے۔
discharged_after_missed-call = مریض کو بتائیں کہ اپائنٹمنٹس پر نہ آنے کی وجہ سے ریفرل { $reference } بند کر دیا گیا ہے، پوچھیں کہ کیا آنے میں کوئی مشکل تھی، اور نئے ریفرل کی پیشکش کریں۔

# $reference, $service
follow_up_needed-sms = { $team }: براہ کرم { $service } کے ساتھ اپنی فالو اپ اپائنٹمنٹ { $portal } پر منتخب کریں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
follow_up_needed-subject = اپنی فالو اپ (دوبارہ ملاقات کی) اپائنٹمنٹ منتخب کریں
follow_up_needed-body =
    { $service } میں آپ کا کلینیشن آپ کو دوبارہ دیکھنا چاہتا ہے۔

    براہ کرم { $portal } پر اپنی سہولت کے مطابق وقت اور جگہ منتخب کریں، یا ہمیں { $phone } پر کال کریں اور ہم آپ کے ساتھ مل کر اپائنٹمنٹ بک کر دیں گے۔
follow_up_needed-call = { $service } کے ساتھ مریض کی فالو اپ اپائنٹمنٹ بک کرنے کی پیشکش کریں (ریفرنس { $reference })۔

# $reference, $service, $until (a date, or "none")
discharged-sms = { $until ->
    [none] { $team }: { $service } میں آپ کا علاج مکمل ہو گیا ہے۔ مسئلہ دوبارہ ہو تو { $portal } پر دوبارہ ریفر کریں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
   *[other] { $team }: { $service } میں آپ کا علاج مکمل ہو گیا ہے۔ مسئلہ { $until } سے پہلے دوبارہ ہو تو { $portal } پر سیدھا بک کریں یا { $phone } پر کال کریں۔ ریفرنس { $reference }۔
}
discharged-subject = { $service } میں آپ کا علاج مکمل ہو گیا ہے
discharged-body =
    { $service } میں آپ کا علاج مکمل ہو گیا ہے، اور ہم نے آپ کو سروس سے فارغ (ڈسچارج) کر دیا ہے۔ آپ کے کلینیشن نے جو ورزشیں اور مشورے دیے ہیں ان پر عمل جاری رکھیں۔

    { $until ->
        [none] اگر آپ کا مسئلہ دوبارہ ہو تو آپ کسی بھی وقت { $portal } پر خود کو دوبارہ ریفر کر سکتے ہیں یا ہمیں { $phone } پر کال کر سکتے ہیں۔
       *[other] اگر یہی مسئلہ { $until } سے پہلے دوبارہ ہو تو آپ کو نئے ریفرل کی ضرورت نہیں: { $portal } پر فوراً اپائنٹمنٹ بک کریں یا ہمیں { $phone } پر کال کریں۔
    }
discharged-call = مریض کو بتائیں کہ { $service } میں ان کا علاج مکمل ہو گیا ہے (ریفرنس { $reference })، اور یہ کہ مسئلہ دوبارہ ہونے پر وہ واپس کیسے آ سکتے ہیں۔

# $reference, $service, $min, $max (weeks; $min is "none" when there is no estimate)
wait_update-sms = { $min ->
    [none] { $team }: آپ اب بھی { $service } کی انتظار کی فہرست میں ہیں (ریفرنس { $reference })۔ { $portal } پر وقت منتخب کریں یا { $phone } پر کال کریں۔ طبیعت بگڑے تو 111 پر کال کریں۔
   *[other] { $team }: آپ اب بھی { $service } کی انتظار کی فہرست میں ہیں (ریفرنس { $reference })۔ ہمیں توقع ہے کہ تقریباً { $min } سے { $max } ہفتوں میں آپ کو دیکھیں گے۔ طبیعت بگڑے تو 111 پر کال کریں۔
}
wait_update-subject = آپ اب بھی ہماری انتظار کی فہرست میں ہیں ({ $reference })
wait_update-body =
    آپ اب بھی { $service } کی انتظار کی فہرست میں ہیں۔ ہم آپ کو بھولے نہیں ہیں۔

    { $min ->
        [none] ابھی ہم انتظار کے وقت کا اندازہ نہیں لگا سکتے۔
       *[other] فہرست میں آپ کی جگہ اور سروس جتنے لوگوں کو دیکھتی ہے، اس کے حساب سے ہمیں توقع ہے کہ تقریباً { $min } سے { $max } ہفتوں میں آپ کو اپائنٹمنٹ دیں گے۔
    }

    جیسے ہی کوئی وقت آپ کے لیے مناسب ہو، آپ اسے { $portal } پر منتخب کر سکتے ہیں، یا ہمیں { $phone } پر کال کریں۔ اگر آپ کی علامات بہت بگڑ جائیں تو 111 پر کال کریں؛ ایمرجنسی میں 999 پر کال کریں۔
wait_update-call = مریض کو بتائیں کہ وہ اب بھی { $service } کی انتظار کی فہرست میں ہیں (ریفرنس { $reference })، اور اپائنٹمنٹ بک کرنے کی پیشکش کریں۔

# $reference, $service, $link
still_needed-sms = { $team }: کیا آپ کو اب بھی { $service } کی اپائنٹمنٹ کی ضرورت ہے (ریفرنس { $reference })؟ براہ کرم { $link } پر بتائیں یا { $phone } پر کال کریں۔
still_needed-subject = کیا آپ کو اب بھی اپائنٹمنٹ کی ضرورت ہے؟ ({ $reference })
still_needed-body =
    آپ کچھ عرصے سے { $service } کی انتظار کی فہرست میں ہیں۔ کیا آپ کو اب بھی اپائنٹمنٹ کی ضرورت ہے؟

    براہ کرم { $link } پر ہمیں بتائیں یا ہمیں { $phone } پر کال کریں۔ اگر آپ کو اب بھی ضرورت ہے تو آپ کی جگہ برقرار رہے گی۔ اگر نہیں، تو ہم آپ کو فہرست سے ہٹا دیں گے تاکہ کسی اور کو جلدی دیکھا جا سکے۔

    اگر ہمیں آپ کا جواب نہ ملا تو کچھ بھی تبدیل کرنے سے پہلے ہم آپ کو فون کریں گے۔
still_needed-call = مریض سے پوچھیں کہ کیا انہیں اب بھی { $service } کی اپائنٹمنٹ کی ضرورت ہے (ریفرنس { $reference })، اور ان کا جواب درج کریں۔

class-name-back_class = کمر کی کلاس
class-name-knee_class = گھٹنے کی کلاس
class-name-expert_patients = ایکسپرٹ پیشنٹس پروگرام کا سیشن
class-name-peer_support = ہم مرتبہ مدد کا گروپ

# $reference, $class (its name, from class-name-<kind>), $date, $time, $location, $address
class_booked-sms = { $team }: { $class } میں آپ کی جگہ بک ہے: { $date }، { $time } بجے، { $location }۔ نہیں آ سکتے؟ { $portal } پر اپنی جگہ چھوڑ دیں۔
class_booked-subject = { $date } کو { $class } میں آپ کی جگہ
class_booked-body =
    { $class } میں آپ کی جگہ بک ہو گئی ہے۔

    کب: { $date }، { $time } بجے
    کہاں: { $location }، { $address }

    آرام دہ کپڑے پہنیں اور پانی کی ایک بوتل ساتھ لائیں۔ اگر آپ نہیں آ سکتے تو { $portal } پر اپنی جگہ چھوڑ دیں یا ہمیں { $phone } پر کال کریں، تاکہ انتظار کی فہرست میں موجود کسی اور کو یہ جگہ مل سکے۔
class_booked-call = مریض کو بتائیں کہ { $class } میں ان کی جگہ بک ہے: { $date }، { $time } بجے، { $location }۔
class_waiting-sms = { $team }: { $date } کو { $class } میں کوئی جگہ خالی نہیں ہے۔ آپ اس کی انتظار کی فہرست میں ہیں، اور جگہ خالی ہونے پر ہم آپ کو بتائیں گے۔
class_waiting-subject = آپ { $class } کی انتظار کی فہرست میں ہیں
class_waiting-body =
    { $class } ({ $date }، { $time } بجے، { $location }) میں کوئی جگہ خالی نہیں ہے، اس لیے آپ اس کی انتظار کی فہرست میں ہیں۔

    اگر کوئی اپنی جگہ چھوڑ دے تو وہ انتظار کرنے والے پہلے شخص کو ملتی ہے، اور ہم آپ کو فوراً بتا دیں گے۔ آپ { $portal } پر کوئی اور کلاس بھی تلاش کر سکتے ہیں۔
class_waiting-call = مریض کو بتائیں کہ { $date } کو { $class } میں کوئی جگہ خالی نہیں ہے اور وہ اس کی انتظار کی فہرست میں ہیں۔

# $reference, $date, $time, $location, $address (the new time), $old_date, $old_time
appointment_changed-sms = { $team }: آپ کی اپائنٹمنٹ { $old_date } { $old_time } سے بدل کر { $date }، { $time } بجے، { $location } میں ہو گئی ہے۔ ریفرنس { $reference }۔ سوال؟ { $phone } پر کال کریں۔
appointment_changed-subject = آپ کی اپائنٹمنٹ بدل کر { $date } کو ہو گئی ہے
appointment_changed-body =
    آپ کی اپائنٹمنٹ تبدیل ہو گئی ہے۔

    پہلے: { $old_date }، { $old_time } بجے
    اب: { $date }، { $time } بجے
    کہاں: { $location }، { $address }

    اگر نیا وقت آپ کے لیے مناسب نہیں تو { $portal } پر کوئی اور وقت منتخب کریں یا ہمیں { $phone } پر کال کریں۔
appointment_changed-call = مریض کو بتائیں کہ ان کی اپائنٹمنٹ { $old_date } { $old_time } سے بدل کر { $date }، { $time } بجے، { $location } میں ہو گئی ہے۔

# $link (the conversation in the portal). Message content never goes by text or email.
care_team_message-sms = { $team }: آپ کی کیئر ٹیم کی طرف سے آپ کے لیے ایک نیا پیغام ہے۔ اسے { $link } پر پڑھیں یا { $phone } پر کال کریں۔
care_team_message-subject = آپ کی کیئر ٹیم کی طرف سے ایک نیا پیغام
care_team_message-body =
    آپ کی کیئر ٹیم (آپ کی دیکھ بھال کرنے والی ٹیم) نے آپ کو ایک پیغام بھیجا ہے۔

    آپ کی معلومات کو نجی رکھنے کے لیے، ہم یہ پیغام ای میل سے نہیں بھیجتے۔ اسے پڑھنے اور جواب دینے کے لیے سائن ان کریں: { $link }

    اگر آپ سائن ان نہیں کر سکتے تو ہمیں { $phone } پر کال کریں اور ہم آپ کو پڑھ کر سنا دیں گے۔
care_team_message-call = مریض کو بتائیں کہ ان کی کیئر ٹیم کی طرف سے ان کے لیے ایک نیا پیغام ہے، اور انہیں پڑھ کر سنانے کی پیشکش کریں۔
measures_due-sms = { $team }: براہ کرم ہمیں بتائیں آپ کیسے ہیں۔ چند مختصر سوالات کے جواب یہاں دیں: { $link } یا { $phone } پر کال کریں۔
measures_due-subject = براہ کرم ہمیں بتائیں آپ کیسے ہیں
measures_due-body =
    آپ کی نگہداشت کی ٹیم جاننا چاہتی ہے کہ آپ کیسے ہیں۔ براہ کرم اپنے درد، روزمرہ زندگی اور اپنے مقصد کے بارے میں چند مختصر سوالات کے جواب دیں۔ اس میں تقریباً دو منٹ لگتے ہیں۔

    یہاں جواب دیں: { $link }

    اگر آپ فون پر جواب دینا چاہیں تو ہمیں { $phone } پر کال کریں۔ آپ کے جوابات ہمیں دیکھنے میں مدد دیتے ہیں کہ آپ کے لیے کیا کام کر رہا ہے۔
measures_due-call = مریض سے نتائج کے سوالات (درد، روزمرہ زندگی، ان کا مقصد) پوچھیں اور ان کے جوابات درج کریں۔

## اس شخص کو تفصیلات کے بجائے بھیجا جاتا ہے جو انہیں پورٹل میں رکھنا چاہتا ہے۔ $link پورٹل کا ان باکس ہے۔
portal-notice-sms = { $team }: آپ کے پورٹل میں آپ کے لیے کچھ نیا ہے: { $link }۔ سوالات؟ { $phone } پر کال کریں۔
portal-notice-subject = آپ کے پورٹل میں کچھ نیا ہے
portal-notice-body =
    آپ کے پورٹل میں آپ کے لیے کچھ نیا ہے۔ آپ نے کہا تھا کہ تفصیلات وہیں رکھی جائیں، اس لیے اس ای میل میں وہ شامل نہیں ہیں۔

    پڑھنے کے لیے سائن اِن کریں: { $link }

    اگر آپ سائن اِن نہیں کر سکتے تو ہمیں { $phone } پر کال کریں، ہم آپ کو بتا دیں گے۔

## پاسپورٹ کی تحریر جو فرد کو بھیجی جاتی ہے (اور ڈسچارج کا خلاصہ ان کی جی پی پریکٹس کو)۔
# $reference, $service, $plan, $link
treatment_plan-sms = { $team }: { $service } سے آپ کا علاج کا منصوبہ آپ کے پاسپورٹ میں ہے: { $link }۔ ڈاک سے چاہیے تو { $phone } پر کال کریں۔
treatment_plan-subject = { $service } سے آپ کا علاج کا منصوبہ
treatment_plan-body =
    یہ وہ منصوبہ ہے جو آپ نے { $service } میں اپنے کلینیشن کے ساتھ طے کیا:

    { $plan }

    یہ آپ کی ورزشوں کے ساتھ آپ کے پاسپورٹ میں بھی ہے: { $link }۔ کچھ واضح نہ ہو تو { $reference } بتا کر ہمیں { $phone } پر کال کریں۔
treatment_plan-call = مریض کو { $service } سے ان کا علاج کا منصوبہ پڑھ کر سنائیں (ریفرنس { $reference }) اور ڈاک سے بھیجنے کی پیشکش کریں: { $plan }

# $reference, $service, $summary, $until, $link
discharge_summary-sms = { $team }: { $service } سے آپ کے ڈسچارج کا خلاصہ آپ کے پاسپورٹ میں ہے: { $link }۔ ڈاک سے چاہیے تو { $phone } پر کال کریں۔ ریفرنس { $reference }۔
discharge_summary-subject = { $service } سے آپ کے ڈسچارج کا خلاصہ
discharge_summary-body =
    { $service } میں آپ کا علاج مکمل ہو گیا ہے۔ یہ خلاصہ آپ کے کلینیشن نے آپ کے لیے لکھا ہے، اور ہم نے اس کی ایک نقل آپ کی جی پی پریکٹس کو بھیج دی ہے:

    { $summary }

    { $until ->
        [none] اگر آپ کا مسئلہ دوبارہ ہو تو آپ کسی بھی وقت { $portal } پر خود کو دوبارہ ریفر کر سکتے ہیں یا ہمیں { $phone } پر کال کر سکتے ہیں۔
       *[other] اگر یہی مسئلہ { $until } سے پہلے دوبارہ ہو تو آپ کو نئے ریفرل کی ضرورت نہیں: { $portal } پر فوراً اپائنٹمنٹ بک کریں یا ہمیں { $phone } پر کال کریں۔
    }

    آپ کا پاسپورٹ یہ خلاصہ آپ کے باقی علاج کے ساتھ رکھتا ہے: { $link }
discharge_summary-call = مریض کو { $service } سے ان کے ڈسچارج کا خلاصہ پڑھ کر سنائیں (ریفرنس { $reference })، بتائیں کہ مسئلہ دوبارہ ہو تو کیسے واپس آئیں، اور ڈاک سے بھیجنے کی پیشکش کریں: { $summary }

# $reference, $service, $summary, $until, $patient, $born, $nhs
discharge_summary_gp-sms = { $team }: ریفرل { $reference } کے لیے ڈسچارج کا خلاصہ بھیج دیا گیا ہے۔
discharge_summary_gp-subject = ڈسچارج کا خلاصہ: { $reference }
discharge_summary_gp-body =
    محترم { $addressee }،

    آپ کے مریض { $patient } (تاریخ پیدائش { $born }، این ایچ ایس نمبر { $nhs }) کو { $service } سے ڈسچارج کر دیا گیا ہے، ریفرنس { $reference }۔ کلینیشن کا خلاصہ:

    { $summary }

    { $until ->
        [none] مسئلہ دوبارہ ہو تو مریض کو دوبارہ ریفر کیا جا سکتا ہے۔
       *[other] { $until } تک مریض نئے ریفرل کے بغیر سیدھا دوبارہ بک کر سکتا ہے۔
    }

    کسی سوال کے لیے { $reference } بتا کر ہمیں { $phone } پر کال کریں۔
discharge_summary_gp-call = جی پی پریکٹس کو ریفرل { $reference } کے ڈسچارج کا خلاصہ بتائیں: { $summary }

## رائے: فرینڈز اینڈ فیملی ٹیسٹ کا سوال، لنک کے ذریعے۔
# $reference, $service, $link
feedback_request-sms = { $team }: مجموعی طور پر ہماری سروس کا آپ کا تجربہ کیسا رہا؟ ایک منٹ میں بتائیں: { $link }
feedback_request-subject = { $service } کا آپ کا تجربہ کیسا رہا؟
feedback_request-body =
    مجموعی طور پر ہماری سروس کا آپ کا تجربہ کیسا رہا؟

    براہ کرم تقریباً ایک منٹ میں بتائیں، اور کیا اچھا تھا یا کیا بہتر ہو سکتا ہے: { $link }

    ہم ہر جواب پڑھتے ہیں اور جو کچھ ان کی وجہ سے بدلتے ہیں وہ شائع کرتے ہیں۔ اگر آپ فون پر بتانا چاہیں، یا کچھ غلط ہوا جس کی ہم جانچ کریں، تو { $phone } پر کال کریں۔
feedback_request-call = مریض سے پوچھیں: "مجموعی طور پر ہماری سروس کا آپ کا تجربہ کیسا رہا؟" (بہت اچھا، اچھا، نہ اچھا نہ برا، برا، بہت برا، معلوم نہیں)، پھر کیا اچھا تھا یا کیا بہتر ہو سکتا ہے، اور ان کا جواب درج کریں۔
