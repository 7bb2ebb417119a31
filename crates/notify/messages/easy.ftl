## Easy read English: short sentences, everyday words, one idea at a time.
## The same messages as en.ftl, with the same variables. Messages to staff and
## organisations are in plain English: they are not read by patients.

# $contact is the key contact's name, or "none" when no one is named yet.
footer = { $contact ->
    [none] If you have any questions, call { $team } on { $phone }.
   *[other]
        The main person to contact about your care is { $contact }.

        If you have any questions, call { $team } on { $phone }.
}

## The frame of a printed letter. $name is the addressee, $date today's date.
letter-greeting = Dear { $name },
letter-date = Date: { $date }
letter-reference = Our reference number: { $reference }
letter-nhs = NHS number: { $nhs }
letter-signoff = Best wishes,
letter-from = The { $team } team
letter-other-formats = You can ask for this letter in a different way. For example: large print, easy read, braille, a recording to listen to, or another language. Call { $phone }.

## A copy to the carer or proxy the patient named. $patient is the patient's name.
carer-intro = This message is for { $patient }. { $patient } asked us to send you a copy.

## The confirm-or-cancel link on booking confirmations and reminders. $link is its address.
appointment-links = Tell us if you can come. Or cancel if you cannot come. Use this link: { $link }
appointment-links-sms = Say yes or cancel: { $link }

# $code
sign_in_code-sms = Your code to sign in to { $team } is { $code }. You can use it 1 time. It stops working after 10 minutes. Do not tell anyone this code.
sign_in_code-subject = Your code to sign in
sign_in_code-body =
    Your code to sign in is { $code }.

    Type the code on the sign-in page.

    You can only use the code 1 time.

    The code stops working after 10 minutes.

    Do not tell anyone the code.

    If you did not ask for a code, you do not need to do anything.
sign_in_code-call = The patient asked for a code to sign in. They do not have a mobile phone or email. Offer to help them on the phone instead.

# $reference
referral_received-sms = { $team }: we have got your referral (your request for help). Your reference number is { $reference }. A health worker will read it. Then we will contact you. If you feel much worse, call 111.
referral_received-subject = We have got your referral ({ $reference })
referral_received-body =
    Thank you. We have got your referral to { $team }.

    A referral is when you ask us for help.

    Your reference number is { $reference }.

    A health worker will read your referral.

    They will choose the service that can help you best.

    Then we will contact you.

    While you wait, keep moving as much as you can.

    Some problems are an emergency. Get help now if you have any of these new problems:

    The skin around your bottom or private parts feels numb.

    You have problems when you pee. Or you cannot control when you pee or poo.

    Your legs feel weak.

    If you have any of these, go to the hospital emergency department (A&E) now. Or call 999.
referral_received-call = Tell the patient we have got their referral. Give them the reference number: { $reference }. Tell them a health worker will read it.

# $reference, $service
referral_accepted-sms = { $team }: we have said yes to your referral { $reference }. { $service } will see you. Choose an appointment at { $portal } or call { $phone }.
referral_accepted-subject = Choose your appointment ({ $reference })
referral_accepted-body =
    A health worker has read your referral { $reference }.

    We have said yes to your referral.

    { $service } will see you.

    Now you can choose a time and place for your appointment.

    To choose online, go to { $portal }

    Or call us on { $phone }. We will book it with you.
referral_accepted-call = Tell the patient we have said yes to their referral { $reference }. Tell them { $service } will see them. Offer to book an appointment with them now.

# $reference, $date, $time, $location, $address
appointment_booked-sms = { $team }: your appointment is booked. It is on { $date } at { $time } at { $location }. To change it, call { $phone }. Reference number: { $reference }.
appointment_booked-subject = Your appointment on { $date }
appointment_booked-body =
    Your appointment is booked.

    When: { $date } at { $time }

    Where: { $location }, { $address }

    Wear loose, comfortable clothes. Then the health worker can see and move the part of your body that hurts.

    If you need to change or cancel your appointment, call us on { $phone }.

    Then someone else can have the time.
appointment_booked-call = Check the appointment with the patient. It is on { $date } at { $time } at { $location }.

# $reference, $date, $time, $location, $address
appointment_cancelled-sms = { $team }: your appointment on { $date } at { $time } is cancelled. Choose a new time at { $portal } or call { $phone }. Reference number: { $reference }.
appointment_cancelled-subject = Your appointment on { $date } is cancelled
appointment_cancelled-body =
    Your appointment is cancelled, as you asked.

    It was on { $date } at { $time } at { $location }.

    You are still on our waiting list.

    You can choose a new time and place. To choose online, go to { $portal }

    Or call us on { $phone }. We will book it with you.
appointment_cancelled-call = Tell the patient their appointment on { $date } at { $time } is cancelled. Offer to book a new one now.

# $reference, $date, $time, $location, $address, $expires, $link
slot_offered-sms = { $team }: an earlier appointment is free on { $date } at { $time } at { $location }. Say yes by { $expires } at { $link } or call { $phone }. Reference: { $reference }.
slot_offered-subject = An earlier appointment: { $date } at { $time }
slot_offered-body =
    Someone has cancelled their appointment. So we can offer you an earlier appointment.

    When: { $date } at { $time }

    Where: { $location }, { $address }

    If you want this appointment, say yes by { $expires }.

    To say yes, go to { $link }

    Or call us on { $phone }.

    We have offered this appointment to a few people. The first person to say yes gets it.

    If you do not want it, do nothing. You stay on the waiting list.
slot_offered-call = Offer the patient an earlier appointment. It is on { $date } at { $time } at { $location }. They must say yes by { $expires }.
slot_gone-sms = { $team }: sorry, someone else has taken the earlier appointment on { $date } at { $time }. You stay on the waiting list. Reference number: { $reference }.
slot_gone-subject = Someone else has taken the earlier appointment
slot_gone-body =
    We offered you an earlier appointment on { $date } at { $time }.

    Sorry, someone else has taken it.

    You stay on the waiting list.

    We will tell you if another appointment is free.
slot_gone-call = Tell the patient someone else has taken the earlier appointment on { $date } at { $time }. Tell them they stay on the waiting list.

# $reference
emergency_advice-sms = { $team }: you may need medical help now. Go to the hospital emergency department (A&E) or call 999 today. Do not wait for us. Reference number: { $reference }.
emergency_advice-subject = Get medical help now ({ $reference })
emergency_advice-body =
    Get medical help now.

    Go to your nearest hospital emergency department (A&E) now. Or call 999.

    Do not wait for an appointment with us.

    You told us some things about referral { $reference }. They can be signs of a serious problem.

    A doctor needs to check this today.

    Take this message with you. Or take your reference number: { $reference }

    We have also told a health worker in our team. They will check your referral.
emergency_advice-call = URGENT: call the patient now. Their answers (reference { $reference }) show an emergency red flag. This is a sign of a serious problem. Tell them to go to A&E or call 999 today. Record the call.

# $reference
call_back_today-sms = { $team }: a health worker will phone you today about your referral { $reference }. Keep your phone near you. If you feel much worse, call 111. In an emergency, call 999.
call_back_today-subject = We will phone you today ({ $reference })
call_back_today-body =
    We will phone you today.

    Please keep your phone near you.

    You told us some things about referral { $reference }. A health worker needs to talk to you about them today.

    If you do not answer, we will phone again.

    If you feel much worse before we phone, call 111.

    In an emergency, call 999.
call_back_today-call = Phone the patient today about referral { $reference }. One of their answers means a health worker must talk to them today.

# $reference, $advice
advice_given-sms = { $team }: a health worker has read your referral { $reference }. They have sent you advice. Read it at { $portal } or call { $phone }.
advice_given-subject = Advice about your referral ({ $reference })
advice_given-body =
    A health worker has read your referral { $reference }.

    Here is their advice:

    { $advice }

    If your problem does not get better, you can ask us for help again.

    If your problem gets worse, you can ask us for help again.

    You can do this at any time. Call us on { $phone }.
advice_given-call = Read the health worker's advice to the patient. It is about referral { $reference }. The advice is: { $advice }

# $reference, $question
question_from_clinician-sms = { $team }: a health worker has a question about your referral { $reference }. Please answer it at { $portal } or call { $phone }.
question_from_clinician-subject = A question about your referral ({ $reference })
question_from_clinician-body =
    A health worker is reading your referral { $reference }.

    They have a question for you:

    { $question }

    Please answer the question. To answer online, go to { $portal }

    Or call us on { $phone }.

    When we get your answer, we will carry on with your referral.
question_from_clinician-call = Ask the patient this question about referral { $reference }. Write down their answer. The question is: { $question }

# $reference, $patient, $born, $nhs
referral_acknowledged-sms = { $team }: we have received your referral { $reference }.
referral_acknowledged-subject = Referral received: { $reference }
referral_acknowledged-body =
    Dear { $addressee },

    We have received your referral for { $patient } (born { $born }, NHS number { $nhs }).

    Our reference is { $reference }.

    A clinician will triage it. We will tell you the outcome.

    If the patient's condition changes, call us on { $phone }. Please give the reference { $reference }.
referral_acknowledged-call = Tell the referrer we have received referral { $reference }.

# $reference, $advice, $patient, $born, $nhs
advice_and_guidance-sms = { $team }: we have sent advice and guidance about referral { $reference }.
advice_and_guidance-subject = Advice and guidance: { $reference }
advice_and_guidance-body =
    Dear { $addressee },

    A clinician has reviewed your referral for { $patient } (born { $born }, NHS number { $nhs }). The reference is { $reference }.

    They advise this instead of an appointment with us:

    { $advice }

    We have told the patient.

    If you would like to talk about this, call us on { $phone }.

    If the patient does not get better, call us or refer them again.
advice_and_guidance-call = Give the referrer the clinician's advice about referral { $reference }: { $advice }

# $reference, $link
emergency_alert-sms = { $team }: emergency red flag on referral { $reference }. Review it now: { $link }
emergency_alert-subject = EMERGENCY red flag: review { $reference } now
emergency_alert-body =
    { $addressee },

    A new referral, { $reference }, has an emergency red flag.

    We have told the person to go to A&E or call 999.

    Review the referral now and call them: { $link }
emergency_alert-call = Tell the triage clinician on duty that referral { $reference } has an emergency red flag.

# $reference, $date, $time, $location, $address
appointment_reminder-sms = { $team }: your appointment is on { $date } at { $time } at { $location }. If you cannot come, change it at { $portal } or call { $phone }. Reference number: { $reference }.
appointment_reminder-subject = Reminder: your appointment on { $date }
appointment_reminder-body =
    This is a reminder about your appointment.

    When: { $date } at { $time }

    Where: { $location }, { $address }

    Wear loose, comfortable clothes.

    Bring a list of any medicines you take.

    If you cannot come, change or cancel your appointment. Go to { $portal } or call us on { $phone }.

    Then someone else can have the time.
appointment_reminder-call = Remind the patient about their appointment on { $date } at { $time } at { $location }. Ask if they can still come.

# $reference, $date, $time, $location, $address, $minutes
running_late-sms = { $team }: sorry, your appointment today at { $time } at { $location } will start about { $minutes } minutes late. Reference number: { $reference }.
running_late-subject = Your appointment today will start late
running_late-body =
    We are sorry. Your appointment today will start late.

    Your appointment is at { $time } at { $location }.

    It will start about { $minutes } minutes later than booked.

    You can still come at your usual time if that is easier for you.

    We will see you as soon as we can.
running_late-call = Tell the patient their appointment today at { $time } at { $location } will start about { $minutes } minutes late.

# $reference, $date, $time, $location, $address
appointment_missed-sms = { $team }: you did not come to your appointment on { $date } at { $time }. Please choose a new time at { $portal } or call { $phone }. Reference number: { $reference }.
appointment_missed-subject = You did not come to your appointment on { $date }
appointment_missed-body =
    You did not come to your appointment on { $date } at { $time } at { $location }.

    We hope you are well.

    You are still on our list.

    Please choose a new time at { $portal } or call us on { $phone }.

    If you do not need our help any more, please tell us.

    Then someone else can have the time.
appointment_missed-call = Tell the patient they did not come to their appointment on { $date } at { $time }. Offer to book a new appointment.

# $reference, $service
discharged_after_missed-sms = { $team }: you did not come to 2 or more appointments. So we have closed your referral { $reference }. If you still need help, ask us again at { $portal } or call { $phone }.
discharged_after_missed-subject = Your referral { $reference } is closed
discharged_after_missed-body =
    We have closed your referral { $reference }.

    This is because you did not come to 2 or more appointments with { $service }.

    We have told your GP (family doctor).

    If you still need help, you can ask us for help again at any time.

    Go to { $portal } or call us on { $phone }.

    Maybe something made it hard for you to come. For example, the time, the place or getting there.

    Please tell us. We will try to make it easier.
discharged_after_missed-call = Tell the patient referral { $reference } is closed because they did not come to their appointments. Ask if anything made it hard to come. Offer a new referral.

# $reference, $service
follow_up_needed-sms = { $team }: please choose your next appointment with { $service } at { $portal } or call { $phone }. Reference number: { $reference }.
follow_up_needed-subject = Choose your next appointment
follow_up_needed-body =
    Your health worker at { $service } wants to see you again.

    Please choose a time and place that is good for you.

    To choose online, go to { $portal }

    Or call us on { $phone }. We will book it with you.
follow_up_needed-call = Offer to book the patient's next appointment with { $service } (reference { $reference }).

# $reference, $service, $until (a date, or "none")
discharged-sms = { $until ->
    [none] { $team }: your care with { $service } has finished. If your problem comes back, ask us for help at { $portal } or call { $phone }. Reference number: { $reference }.
   *[other] { $team }: your care with { $service } has finished. If the problem comes back before { $until }, book at { $portal } or call { $phone }. Reference number: { $reference }.
}
discharged-subject = Your care with { $service } has finished
discharged-body =
    Your care with { $service } has finished.

    Keep doing the exercises your health worker gave you.

    Keep doing what they told you to do.

    { $until ->
        [none]
            If your problem comes back, you can ask us for help again at any time.

            Go to { $portal } or call us on { $phone }.
       *[other]
            If the same problem comes back before { $until }, you do not need a new referral.

            You can book an appointment at { $portal } or call us on { $phone }.
    }
discharged-call = Tell the patient their care with { $service } has finished (reference { $reference }). Tell them how to come back if the problem comes back.

# $reference, $service, $min, $max (weeks; $min is "none" when there is no estimate)
wait_update-sms = { $min ->
    [none] { $team }: you are still on the waiting list for { $service }. Reference number: { $reference }. Choose a time at { $portal } or call { $phone }. If you feel worse, call 111.
   *[other] { $team }: you are still on the waiting list for { $service }. Reference number: { $reference }. We think we will see you in about { $min } to { $max } weeks. If you feel worse, call 111.
}
wait_update-subject = You are still on our waiting list ({ $reference })
wait_update-body =
    You are still on the waiting list for { $service }.

    We have not forgotten you.

    { $min ->
        [none] We cannot say yet how long you will wait.
       *[other]
            We looked at your place on the list. We also looked at how many people the service sees.

            We think we will offer you an appointment in about { $min } to { $max } weeks.
    }

    You can choose a time now if one is good for you. Go to { $portal } or call us on { $phone }.

    If your problem gets much worse, call 111.

    In an emergency, call 999.
wait_update-call = Tell the patient they are still on the waiting list for { $service } (reference { $reference }). Offer to book an appointment.

# $reference, $service, $link
still_needed-sms = { $team }: do you still need your appointment with { $service }? Please tell us at { $link } or call { $phone }. Reference number: { $reference }.
still_needed-subject = Do you still need your appointment? ({ $reference })
still_needed-body =
    Do you still need an appointment with { $service }?

    Please tell us. Go to { $link }

    Or call us on { $phone }.

    You have been on the waiting list for a long time.

    If you still need an appointment, you stay on the list.

    If you do not need it, we will take you off the list. Then someone else can be seen sooner.

    If we do not hear from you, we will phone you. We will do this before we change anything.
still_needed-call = Ask the patient if they still need their appointment with { $service } (reference { $reference }). Write down their answer.

class-name-back_class = class for back pain
class-name-knee_class = class for knee pain
class-name-expert_patients = Expert Patients Programme session
class-name-peer_support = support group

# $reference, $class (its name, from class-name-<kind>), $date, $time, $location, $address
class_booked-sms = { $team }: you have a place at the { $class } on { $date } at { $time } at { $location }. If you cannot come, tell us at { $portal }. Then someone else can have your place.
class_booked-subject = Your place at the { $class } on { $date }
class_booked-body =
    You have a place at the { $class }.

    When: { $date } at { $time }

    Where: { $location }, { $address }

    Wear comfortable clothes.

    Bring a bottle of water.

    If you cannot come, please tell us. Go to { $portal } or call us on { $phone }.

    Then someone on the waiting list can have your place.
class_booked-call = Tell the patient they have a place at the { $class } on { $date } at { $time } at { $location }.
class_waiting-sms = { $team }: the { $class } on { $date } is full. You are on the waiting list for it. We will tell you if you get a place.
class_waiting-subject = You are on the waiting list for the { $class }
class_waiting-body =
    The { $class } on { $date } at { $time } at { $location } is full.

    You are on the waiting list for it.

    If someone cannot come, the first person on the waiting list gets their place.

    If you get a place, we will tell you straight away.

    You can also look for another class at { $portal }.
class_waiting-call = Tell the patient the { $class } on { $date } is full. Tell them they are on the waiting list for it.

# $reference, $date, $time, $location, $address (the new time), $old_date, $old_time
appointment_changed-sms = { $team }: your appointment has changed. It is now on { $date } at { $time } at { $location }. It was on { $old_date } at { $old_time }. Reference number: { $reference }. Call { $phone } if you have questions.
appointment_changed-subject = Your appointment has changed to { $date }
appointment_changed-body =
    Your appointment has changed.

    The new time is: { $date } at { $time }

    Where: { $location }, { $address }

    The old time was: { $old_date } at { $old_time }

    If the new time is not good for you, choose another time. Go to { $portal } or call us on { $phone }.
appointment_changed-call = Tell the patient their appointment has changed. It is now on { $date } at { $time } at { $location }. It was on { $old_date } at { $old_time }.

# $link (the conversation in the portal). Message content never goes by text or email.
care_team_message-sms = { $team }: your care team has sent you a new message. Read it at { $link } or call { $phone }.
care_team_message-subject = A new message from your care team
care_team_message-body =
    Your care team has sent you a message.

    Your care team are the health workers who look after you.

    To read the message and answer it, sign in here: { $link }

    We do not send the message by email. This keeps your information private.

    If you cannot sign in, call us on { $phone }. We will read the message to you.
care_team_message-call = Tell the patient they have a new message from their care team. Offer to read it to them.
measures_due-sms = { $team }: tell us how you are. Answer some short questions here: { $link }. Or call us on { $phone }.
measures_due-subject = Tell us how you are
measures_due-body =
    We want to know how you are.

    Please answer some short questions. They are about your pain, your everyday life and your goal.

    Answer them here: { $link }

    Or call us on { $phone }. We will ask you the questions.
measures_due-call = Ask the patient the short questions about their pain, everyday life and goal. Write down their answers.

## Sent instead of the details to someone who keeps them in the portal. $link is the portal inbox.
portal-notice-sms = { $team }: there is a new message for you in your portal. Read it here: { $link }. Or call us on { $phone }.
portal-notice-subject = There is a new message in your portal
portal-notice-body =
    There is a new message for you in your portal.

    You asked us to keep your messages in the portal. So this email does not say what the message is.

    Sign in to read it: { $link }

    If you cannot sign in, call us on { $phone }. We will tell you what the message says.

## The passport's words sent to the person (and a discharge summary to their GP practice).
# $reference, $service, $plan, $link
treatment_plan-sms = { $team }: your plan from { $service } is ready. Read it here: { $link }. Or call us on { $phone } and we will post it.
treatment_plan-subject = Your plan from { $service }
treatment_plan-body =
    This is the plan you made with your clinician at { $service }:

    { $plan }

    You can read it again in your passport: { $link }

    If you have a question, call us on { $phone }.
treatment_plan-call = Read the patient their plan from { $service }. Ask if they want it posted. The plan: { $plan }

# $reference, $service, $summary, $until, $link
discharge_summary-sms = { $team }: your care with { $service } has finished. Read your summary here: { $link }. Or call us on { $phone }.
discharge_summary-subject = Your care with { $service } has finished
discharge_summary-body =
    Your care with { $service } has finished. Your clinician wrote this for you:

    { $summary }

    We sent a copy to your doctor (GP).

    { $until ->
        [none] If the problem comes back, you can ask us for help again at { $portal } or call us on { $phone }.
       *[other] If the problem comes back before { $until }, you can book again straight away at { $portal } or call us on { $phone }.
    }

    You can read this again in your passport: { $link }
discharge_summary-call = Read the patient their summary from { $service }. Tell them how to come back if the problem returns. The summary: { $summary }

# $reference, $service, $summary, $until, $patient, $born, $nhs
discharge_summary_gp-sms = { $team }: discharge summary sent for referral { $reference }.
discharge_summary_gp-subject = Discharge summary: { $reference }
discharge_summary_gp-body =
    Dear { $addressee },

    Your patient { $patient } (born { $born }, NHS number { $nhs }) has finished care with { $service }, reference { $reference }. The summary:

    { $summary }

    { $until ->
        [none] The patient may be referred again.
       *[other] Until { $until } the patient can book straight back in.
    }

    Call us on { $phone } with any questions.
discharge_summary_gp-call = Give the GP practice the discharge summary for referral { $reference }: { $summary }

## Feedback: the Friends and Family Test question, by a link.
# $reference, $service, $link
feedback_request-sms = { $team }: how was our service? Tell us here: { $link }
feedback_request-subject = How was our service?
feedback_request-body =
    How was our service?

    Please tell us. It takes 1 minute: { $link }

    We read every answer. We tell everyone what we change.

    Or call us on { $phone }.
feedback_request-call = Ask the patient how our service was: very good, good, neither good nor poor, poor, very poor, or don't know. Ask what was good or could be better. Write down what they say.
