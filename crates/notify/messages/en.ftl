## Messages to patients, referrers and staff. Each template has a text message (-sms, at most
## two text-message fragments), an email or letter (-subject, -body) and what staff say on a
## call (-call). Every message says how to reach the team. Variables: $team (service name),
## $phone (team phone number), $portal (portal address), and those listed per template.
## Messages to staff and organisations also have $addressee (their name).

# $contact is the key contact's name, or "none" when no one is named yet.
footer = { $contact ->
    [none] Questions? Call { $team } on { $phone }.
   *[other] Your key contact is { $contact }. Questions? Call { $team } on { $phone }.
}

## The frame of a printed letter. $name is the addressee, $date today's date.
letter-greeting = Dear { $name },
letter-date = Date: { $date }
letter-reference = Our reference: { $reference }
letter-nhs = NHS number: { $nhs }
letter-signoff = Yours sincerely,
letter-from = The { $team } team
letter-other-formats = You can ask for this letter in large print, easy read, braille, audio or another language. Call { $phone }.

## A copy to the carer or proxy the patient named. $patient is the patient's name.
carer-intro = This message is for { $patient }. They asked us to send you a copy.

## The confirm-or-cancel link on booking confirmations and reminders. $link is its address.
appointment-links = Tell us you are coming, or cancel if you cannot come: { $link }
appointment-links-sms = Confirm or cancel: { $link }

# $code
sign_in_code-sms = Your { $team } sign-in code is { $code }. It works once, for 10 minutes. Never share it.
sign_in_code-subject = Your sign-in code
sign_in_code-body =
    Your sign-in code is { $code }.

    Enter it on the sign-in page. It works once and stops working after 10 minutes.
    If you did not ask for a code, you can ignore this message. Never share the code with anyone.
sign_in_code-call = The patient asked for a sign-in code but has no mobile or email. Offer to help them by phone instead.

# $reference
referral_received-sms = { $team }: we have your referral, reference { $reference }. A clinician will review it and contact you. If your symptoms get much worse, call 111.
referral_received-subject = We have your referral ({ $reference })
referral_received-body =
    Thank you. We have your referral to { $team }. Your reference is { $reference }.

    What happens next: a clinician will read your referral and decide which of our services can help you best. We will contact you to let you know.

    While you wait, keep moving as much as you comfortably can. If you have new numbness around your bottom or genitals, new problems passing urine or controlling your bowels, or new weakness in your legs, go to A&E or call 999 now.
referral_received-call = Tell the patient we have their referral (reference { $reference }) and a clinician will review it.

# $reference, $service
referral_accepted-sms = { $team }: your referral { $reference } has been accepted by { $service }. You can now choose an appointment at { $portal } or call { $phone }.
referral_accepted-subject = Choose your appointment ({ $reference })
referral_accepted-body =
    A clinician has reviewed your referral { $reference } and accepted it into { $service }.

    You can now choose an appointment time and place that suits you. Sign in at { $portal }, or call us on { $phone } and we will book it with you.
referral_accepted-call = Tell the patient their referral { $reference } was accepted into { $service } and offer to book an appointment with them now.

# $reference, $date, $time, $location, $address
appointment_booked-sms = { $team }: appointment booked for { $date } at { $time }, { $location }. To change it call { $phone }. Ref { $reference }.
appointment_booked-subject = Your appointment on { $date }
appointment_booked-body =
    Your appointment is booked.

    When: { $date } at { $time }
    Where: { $location }, { $address }

    Please wear loose, comfortable clothes so the clinician can see and move the area that hurts. If you need to change or cancel, call us on { $phone } so someone else can have the time.
appointment_booked-call = Confirm the appointment with the patient: { $date } at { $time }, { $location }.

# $reference, $date, $time, $location, $address
appointment_cancelled-sms = { $team }: your appointment on { $date } at { $time } is cancelled. Choose another at { $portal } or call { $phone }. Ref { $reference }.
appointment_cancelled-subject = Your appointment on { $date } is cancelled
appointment_cancelled-body =
    Your appointment on { $date } at { $time } at { $location } is cancelled, as you asked.

    You are still on our waiting list. Choose another time and place at { $portal }, or call us on { $phone } and we will book it with you.
appointment_cancelled-call = Tell the patient their appointment on { $date } at { $time } is cancelled and offer to book another now.

# $reference, $date, $time, $location, $address, $expires, $link
slot_offered-sms = { $team }: an earlier appointment is free: { $date } at { $time }, { $location }. Take it by { $expires } at { $link } or call { $phone }. Ref { $reference }.
slot_offered-subject = An earlier appointment: { $date } at { $time }
slot_offered-body =
    Someone has cancelled, so an earlier appointment is free.

    When: { $date } at { $time }
    Where: { $location }, { $address }

    If you would like it, take it by { $expires }: sign in at { $link } or call us on { $phone }. We have offered it to a few people, and the first to take it gets it. If it does not suit you, do nothing: you keep your place on the waiting list.
slot_offered-call = Offer the patient an earlier appointment: { $date } at { $time }, { $location }. It must be taken by { $expires }.
slot_gone-sms = { $team }: the earlier appointment on { $date } at { $time } has been taken by someone else. You keep your place on the waiting list. Ref { $reference }.
slot_gone-subject = The earlier appointment has gone
slot_gone-body =
    The earlier appointment we offered you, on { $date } at { $time }, has been taken by someone else.

    You keep your place on the waiting list, and we will tell you if another comes free.
slot_gone-call = Tell the patient the earlier appointment on { $date } at { $time } has gone; they keep their place.

# $reference
emergency_advice-sms = { $team }: your answers suggest you need medical help now. Go to A&E or call 999 today. Do not wait for us. Ref { $reference }.
emergency_advice-subject = Get medical help now ({ $reference })
emergency_advice-body =
    Some of your answers about { $reference } can be signs of a serious problem that needs checking today.

    Go to your nearest A&E now, or call 999. Do not wait for an appointment with us.

    Take this message, or your reference { $reference }, with you. A clinician from our team has also been told and will check your referral.
emergency_advice-call = URGENT: call the patient now. Their answers (ref { $reference }) include an emergency red flag. Tell them to go to A&E or call 999 today and record the call.

# $reference
call_back_today-sms = { $team }: a clinician will phone you today about your referral { $reference }. If you feel much worse before then, call 111, or 999 in an emergency.
call_back_today-subject = We will phone you today ({ $reference })
call_back_today-body =
    Some of your answers about { $reference } mean a clinician should speak to you today.

    We will phone you today. Please keep your phone nearby. If we cannot reach you we will try again.

    If you feel much worse before we call, call 111. In an emergency, call 999.
call_back_today-call = Call the patient today about referral { $reference }: one of their answers needs a same-day clinical conversation.

# $reference, $advice
advice_given-sms = { $team }: a clinician has reviewed your referral { $reference } and sent you advice. Read it at { $portal } or call { $phone }.
advice_given-subject = Advice about your referral ({ $reference })
advice_given-body =
    A clinician has reviewed your referral { $reference }.

    Their advice:
    { $advice }

    If things do not get better, or get worse, you can refer yourself again at any time or call us on { $phone }.
advice_given-call = Read the clinician's advice to the patient about referral { $reference }: { $advice }

# $reference, $question
question_from_clinician-sms = { $team }: a clinician has a question about your referral { $reference }. Please answer at { $portal } or call { $phone }.
question_from_clinician-subject = A question about your referral ({ $reference })
question_from_clinician-body =
    A clinician reviewing your referral { $reference } has a question for you:

    { $question }

    Please answer by signing in at { $portal }, or call us on { $phone }. We will carry on with your referral as soon as we hear from you.
question_from_clinician-call = Ask the patient this question about referral { $reference } and record their answer: { $question }

# $reference, $patient, $born, $nhs
referral_acknowledged-sms = { $team }: we have received your referral { $reference }.
referral_acknowledged-subject = Referral received: { $reference }
referral_acknowledged-body =
    Dear { $addressee },

    We have received your referral for { $patient } (born { $born }, NHS number { $nhs }). Our reference is { $reference }.

    A clinician will triage it and we will tell you the outcome. If the patient's condition changes, call us on { $phone } quoting { $reference }.
referral_acknowledged-call = Confirm to the referrer that referral { $reference } was received.

# $reference, $advice, $patient, $born, $nhs
advice_and_guidance-sms = { $team }: advice and guidance sent about referral { $reference }.
advice_and_guidance-subject = Advice and guidance: { $reference }
advice_and_guidance-body =
    Dear { $addressee },

    A clinician has reviewed your referral for { $patient } (born { $born }, NHS number { $nhs }), reference { $reference }. Rather than an appointment with us, they advise:

    { $advice }

    We have told the patient. If you would like to discuss this, or the patient does not improve, call us on { $phone } or refer again.
advice_and_guidance-call = Give the referrer the clinician's advice about referral { $reference }: { $advice }

# $reference, $link
emergency_alert-sms = { $team }: emergency red flag on referral { $reference }. Review now: { $link }
emergency_alert-subject = EMERGENCY red flag: review { $reference } now
emergency_alert-body =
    { $addressee },

    A new referral, { $reference }, has an emergency red flag. The person has been told to go to A&E or call 999.

    Review it now and call them: { $link }
emergency_alert-call = Tell the on-duty triage clinician that referral { $reference } has an emergency red flag.

# $reference, $date, $time, $location, $address
appointment_reminder-sms = { $team }: reminder, your appointment is on { $date } at { $time }, { $location }. Can't come? Change it at { $portal } or call { $phone }. Ref { $reference }.
appointment_reminder-subject = Reminder: your appointment on { $date }
appointment_reminder-body =
    This is a reminder of your appointment.

    When: { $date } at { $time }
    Where: { $location }, { $address }

    Please wear loose, comfortable clothes and bring a list of any medicines you take. If you cannot come, change or cancel it at { $portal } or call us on { $phone }, so someone else can have the time.
appointment_reminder-call = Remind the patient of their appointment on { $date } at { $time }, { $location }, and ask whether they can still come.

# $reference, $date, $time, $location, $address, $minutes
running_late-sms = { $team }: sorry, today's clinic is running about { $minutes } minutes late. Your { $time } appointment at { $location } will start later. Ref { $reference }.
running_late-subject = Your appointment today is running late
running_late-body =
    We are sorry: today's clinic is running about { $minutes } minutes late.

    Your appointment at { $time } at { $location } will start about { $minutes } minutes later than booked. You can still arrive at your usual time if that is easier; we will see you as soon as we can.
running_late-call = Tell the patient their { $time } appointment today at { $location } is running about { $minutes } minutes late.

# $reference, $date, $time, $location, $address
appointment_missed-sms = { $team }: we missed you at your appointment on { $date } at { $time }. Please choose another at { $portal } or call { $phone }. Ref { $reference }.
appointment_missed-subject = We missed you on { $date }
appointment_missed-body =
    We missed you at your appointment on { $date } at { $time } at { $location }.

    We hope you are well. You are still on our list: please choose another time at { $portal }, or call us on { $phone }. If you no longer need our help, let us know so someone else can have the time.
appointment_missed-call = Tell the patient we missed them on { $date } at { $time }, and offer to book another appointment.

# $reference, $service
discharged_after_missed-sms = { $team }: as we have missed you at more than one appointment, we have closed your referral { $reference }. If you still need help, refer again at { $portal } or call { $phone }.
discharged_after_missed-subject = Your referral { $reference } is closed
discharged_after_missed-body =
    We have missed you at more than one appointment with { $service }, so we have closed your referral { $reference } and told your GP.

    If you still need help, you can refer yourself again at any time at { $portal } or call us on { $phone }. If something made it hard to come, such as the time, place or travel, tell us and we will try to make it easier.
discharged_after_missed-call = Tell the patient that referral { $reference } is closed after missed appointments, ask whether anything made it hard to attend, and offer a new referral.

# $reference, $service
follow_up_needed-sms = { $team }: please choose your follow-up appointment with { $service } at { $portal } or call { $phone }. Ref { $reference }.
follow_up_needed-subject = Choose your follow-up appointment
follow_up_needed-body =
    Your clinician at { $service } would like to see you again.

    Please choose a time and place that suits you at { $portal }, or call us on { $phone } and we will book it with you.
follow_up_needed-call = Offer to book the patient's follow-up appointment with { $service } (ref { $reference }).

# $reference, $service, $until (a date, or "none")
discharged-sms = { $until ->
    [none] { $team }: your care with { $service } is complete. If your problem comes back, refer again at { $portal } or call { $phone }. Ref { $reference }.
   *[other] { $team }: your care with { $service } is complete. If the problem comes back before { $until } you can book straight back in at { $portal } or call { $phone }. Ref { $reference }.
}
discharged-subject = Your care with { $service } is complete
discharged-body =
    Your care with { $service } is complete, and we have discharged you. Keep going with the exercises and advice your clinician gave you.

    { $until ->
        [none] If your problem comes back, you can refer yourself again at any time at { $portal } or call us on { $phone }.
       *[other] If the same problem comes back before { $until }, you do not need a new referral: book an appointment straight away at { $portal } or call us on { $phone }.
    }
discharged-call = Tell the patient their care with { $service } is complete (ref { $reference }) and how to come back if the problem returns.

# $reference, $service, $min, $max (weeks; $min is "none" when there is no estimate)
wait_update-sms = { $min ->
    [none] { $team }: you are still on the { $service } waiting list (ref { $reference }). Choose a time at { $portal } or call { $phone }. If you feel worse, call 111.
   *[other] { $team }: you are still on the { $service } waiting list (ref { $reference }). We expect to see you in about { $min } to { $max } weeks. If you feel worse, call 111.
}
wait_update-subject = You are still on our waiting list ({ $reference })
wait_update-body =
    You are still on the waiting list for { $service }. We have not forgotten you.

    { $min ->
        [none] We cannot estimate the wait just now.
       *[other] From your place on the list and how many people the service sees, we expect to offer you an appointment in about { $min } to { $max } weeks.
    }

    You can choose a time as soon as one suits you at { $portal }, or call us on { $phone }. If your symptoms get much worse, call 111; in an emergency, call 999.
wait_update-call = Tell the patient they are still on the { $service } waiting list (ref { $reference }) and offer to book.

# $reference, $service, $link
still_needed-sms = { $team }: do you still need your { $service } appointment (ref { $reference })? Please tell us at { $link } or call { $phone }.
still_needed-subject = Do you still need your appointment? ({ $reference })
still_needed-body =
    You have been on the waiting list for { $service } for a while. Do you still need an appointment?

    Please tell us at { $link } or call us on { $phone }. If you still need it, you keep your place. If you do not, we will take you off the list so someone else can be seen sooner.

    If we do not hear from you, we will phone you before we change anything.
still_needed-call = Ask the patient whether they still need their { $service } appointment (ref { $reference }) and record the answer.

class-name-back_class = back class
class-name-knee_class = knee class
class-name-expert_patients = Expert Patients Programme session
class-name-peer_support = peer support group

# $reference, $class (its name, from class-name-<kind>), $date, $time, $location, $address
class_booked-sms = { $team }: you have a place at the { $class } on { $date } at { $time }, { $location }. Can't come? Give up your place at { $portal }.
class_booked-subject = Your place at the { $class } on { $date }
class_booked-body =
    You have a place at the { $class }.

    When: { $date } at { $time }
    Where: { $location }, { $address }

    Wear comfortable clothes and bring a bottle of water. If you cannot come, give up your place at { $portal } or call us on { $phone }, so someone on the waiting list can have it.
class_booked-call = Tell the patient they have a place at the { $class } on { $date } at { $time }, { $location }.
class_waiting-sms = { $team }: the { $class } on { $date } is full. You are on its waiting list and we will tell you if a place comes free.
class_waiting-subject = You are on the waiting list for the { $class }
class_waiting-body =
    The { $class } on { $date } at { $time } at { $location } is full, so you are on its waiting list.

    If someone gives up their place, it goes to the first person waiting, and we will tell you straight away. You can also look for another class at { $portal }.
class_waiting-call = Tell the patient the { $class } on { $date } is full and they are on its waiting list.

# $reference, $date, $time, $location, $address (the new time), $old_date, $old_time
appointment_changed-sms = { $team }: your appointment has moved from { $old_date } { $old_time } to { $date } at { $time }, { $location }. Ref { $reference }. Questions? Call { $phone }.
appointment_changed-subject = Your appointment has changed to { $date }
appointment_changed-body =
    Your appointment has changed.

    It was: { $old_date } at { $old_time }
    It is now: { $date } at { $time }
    Where: { $location }, { $address }

    If the new time does not suit you, choose another at { $portal } or call us on { $phone }.
appointment_changed-call = Tell the patient their appointment has moved from { $old_date } { $old_time } to { $date } at { $time }, { $location }.

# $link (the conversation in the portal). Message content never goes by text or email.
care_team_message-sms = { $team }: you have a new message from your care team. Read it at { $link } or call { $phone }.
care_team_message-subject = A new message from your care team
care_team_message-body =
    Your care team has sent you a message.

    To keep your information private, we do not send it by email. Sign in to read it and reply: { $link }

    If you cannot sign in, call us on { $phone } and we will read it to you.
care_team_message-call = Tell the patient they have a new message from their care team and offer to read it to them.
measures_due-sms = { $team }: please tell us how you are. Answer a few short questions at { $link }, or call { $phone } and we will ask you.
measures_due-subject = Please tell us how you are
measures_due-body =
    Your care team would like to know how you are getting on. Please answer a few short questions about your pain, everyday life and your goal. It takes about two minutes.

    Answer them here: { $link }

    If you would rather answer by phone, call us on { $phone }. Your answers help us see what is working for you.
measures_due-call = Ask the patient the outcome questions (pain, everyday life, their goal) and enter their answers.

## Sent instead of the details to someone who keeps them in the portal. $link is the portal inbox.
portal-notice-sms = { $team }: there is something new for you in your portal: { $link }. Questions? Call { $phone }.
portal-notice-subject = There is something new in your portal
portal-notice-body =
    There is something new for you in your portal. You asked us to keep the details there, so this email does not include them.

    Sign in to read it: { $link }

    If you cannot sign in, call us on { $phone } and we will tell you.

## The passport's words sent to the person (and a discharge summary to their GP practice). A
## text message never carries them: it says where to read them.
# $reference, $service, $plan, $link
treatment_plan-sms = { $team }: your treatment plan from { $service } is in your passport at { $link }. Call { $phone } if you would like it posted.
treatment_plan-subject = Your treatment plan from { $service }
treatment_plan-body =
    Here is the plan you agreed with your clinician at { $service }:

    { $plan }

    It is also in your passport, with your exercises: { $link }. If anything is unclear, call us on { $phone } quoting { $reference }.
treatment_plan-call = Read the patient their treatment plan from { $service } (ref { $reference }) and offer to post it: { $plan }

# $reference, $service, $summary, $until (a date, or "none"), $link
discharge_summary-sms = { $team }: your discharge summary from { $service } is in your passport at { $link }. Call { $phone } if you would like it posted. Ref { $reference }.
discharge_summary-subject = Your discharge summary from { $service }
discharge_summary-body =
    Your care with { $service } is complete. This is the summary your clinician wrote for you, and we have sent a copy to your GP practice:

    { $summary }

    { $until ->
        [none] If your problem comes back, you can refer yourself again at any time at { $portal } or call us on { $phone }.
       *[other] If the same problem comes back before { $until }, you do not need a new referral: book an appointment straight away at { $portal } or call us on { $phone }.
    }

    Your passport keeps this summary with the rest of your care: { $link }
discharge_summary-call = Read the patient their discharge summary from { $service } (ref { $reference }), tell them how to come back if the problem returns, and offer to post it: { $summary }

# $reference, $service, $summary, $until, $patient, $born, $nhs
discharge_summary_gp-sms = { $team }: discharge summary sent for referral { $reference }.
discharge_summary_gp-subject = Discharge summary: { $reference }
discharge_summary_gp-body =
    Dear { $addressee },

    Your patient { $patient } (born { $born }, NHS number { $nhs }) has been discharged from { $service }, reference { $reference }. The clinician's summary:

    { $summary }

    { $until ->
        [none] The patient may be referred again if the problem returns.
       *[other] Until { $until } the patient can book straight back in without a new referral.
    }

    Call us on { $phone } quoting { $reference } with any questions.
discharge_summary_gp-call = Give the GP practice the discharge summary for referral { $reference }: { $summary }

## Feedback: the Friends and Family Test question, by a link.
# $reference, $service, $link
feedback_request-sms = { $team }: overall, how was your experience of our service? Tell us in one minute: { $link }
feedback_request-subject = How was your experience of { $service }?
feedback_request-body =
    Overall, how was your experience of our service?

    Please tell us in about a minute, and what was good or could be better: { $link }

    We read every answer and publish what we change because of them. If you would rather tell us by phone, or something went wrong that you want us to look into, call us on { $phone }.
feedback_request-call = Ask the patient: "Overall, how was your experience of our service?" (very good, good, neither good nor poor, poor, very poor, don't know), then what was good or could be better, and enter their answer.
