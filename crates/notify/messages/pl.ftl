## Polish. Messages to patients, referrers and staff: text message (-sms), email or letter
## (-subject, -body) and what staff say on a call (-call). Dates and times arrive already
## written in Polish, so they are set after a colon or a comma ("Kiedy: { $date }, godz.
## { $time }") rather than after a preposition that would need another grammatical case.
## Weeks and minutes are abbreviated ("tyg.", "min") so no plural form is needed.

# $contact is the key contact's name, or "none" when no one is named yet.
footer = { $contact ->
    [none] Masz pytania? Zadzwoń do { $team } pod numer { $phone }.
   *[other] Twoja osoba do kontaktu: { $contact }. Masz pytania? Zadzwoń do { $team } pod numer { $phone }.
}

## The frame of a printed letter. $name is the addressee, $date today's date.
letter-greeting = Dzień dobry, { $name },
letter-date = Data: { $date }
letter-reference = Nasz numer referencyjny: { $reference }
letter-nhs = Numer NHS: { $nhs }
letter-signoff = Z poważaniem
letter-from = Zespół { $team }
letter-other-formats = Możesz poprosić o ten list dużym drukiem, w wersji łatwej do czytania (easy read), w alfabecie Braille'a, w wersji audio lub w innym języku. Zadzwoń pod numer { $phone }.

## A copy to the carer or proxy the patient named. $patient is the patient's name.
carer-intro = Ta wiadomość jest przeznaczona dla: { $patient }. Ta osoba poprosiła nas o przesłanie Ci kopii.

## The confirm-or-cancel link on booking confirmations and reminders. $link is its address.
appointment-links = Potwierdź, że przyjdziesz, albo odwołaj wizytę, jeśli nie możesz przyjść: { $link }
appointment-links-sms = Potwierdź lub odwołaj: { $link }

# $code
sign_in_code-sms = Twój kod logowania do { $team } to { $code }. Działa raz, przez 10 minut. Nikomu go nie podawaj.
sign_in_code-subject = Twój kod logowania
sign_in_code-body =
    Twój kod logowania to { $code }.

    Wpisz go na stronie logowania. Kod działa tylko raz i wygasa po 10 minutach.
    Jeśli prośba o kod nie pochodziła od Ciebie, możesz zignorować tę wiadomość. Nigdy nikomu nie podawaj tego kodu.
sign_in_code-call = Pacjent poprosił o kod logowania, ale nie ma telefonu komórkowego ani e-maila. Zaproponuj pomoc przez telefon.

# $reference
referral_received-sms = { $team }: mamy Twoje skierowanie, nr ref. { $reference }. Specjalista je oceni i skontaktujemy się z Tobą. Jeśli objawy bardzo się nasilą, dzwoń pod 111.
referral_received-subject = Otrzymaliśmy Twoje skierowanie ({ $reference })
referral_received-body =
    Dziękujemy. Otrzymaliśmy Twoje skierowanie do { $team }. Twój numer referencyjny to { $reference }.

    Co będzie dalej: specjalista przeczyta Twoje skierowanie i zdecyduje, która z naszych usług najlepiej Ci pomoże. Skontaktujemy się z Tobą, aby Cię o tym poinformować.

    W czasie oczekiwania ruszaj się tyle, ile możesz bez większego dyskomfortu. Jeśli pojawi się nowe drętwienie w okolicy pośladków lub narządów płciowych, nowe problemy z oddawaniem moczu lub kontrolowaniem wypróżnień albo nowe osłabienie nóg, od razu jedź na SOR (A&E) lub zadzwoń pod 999.
referral_received-call = Powiedz pacjentowi, że otrzymaliśmy skierowanie (nr ref. { $reference }) i że specjalista je oceni.

# $reference, $service
referral_accepted-sms = { $team }: Twoje skierowanie { $reference } zostało przyjęte do { $service }. Wybierz termin wizyty: { $portal } lub zadzwoń pod { $phone }.
referral_accepted-subject = Wybierz termin wizyty ({ $reference })
referral_accepted-body =
    Specjalista ocenił Twoje skierowanie { $reference } i przyjął je do { $service }.

    Możesz teraz wybrać termin i miejsce wizyty, które Ci odpowiadają. Zaloguj się na stronie { $portal } albo zadzwoń do nas pod numer { $phone }, a zarezerwujemy wizytę razem z Tobą.
referral_accepted-call = Powiedz pacjentowi, że skierowanie { $reference } zostało przyjęte do { $service }, i zaproponuj zarezerwowanie wizyty od razu.

# $reference, $date, $time, $location, $address
appointment_booked-sms = { $team }: zarezerwowano wizytę – { $date }, godz. { $time }, { $location }. Aby ją zmienić, zadzwoń pod { $phone }. Nr ref. { $reference }.
appointment_booked-subject = Twoja wizyta: { $date }
appointment_booked-body =
    Twoja wizyta jest zarezerwowana.

    Kiedy: { $date }, godz. { $time }
    Gdzie: { $location }, { $address }

    Załóż luźne, wygodne ubranie, aby specjalista mógł obejrzeć bolące miejsce i sprawdzić jego ruchomość. Jeśli musisz zmienić lub odwołać wizytę, zadzwoń do nas pod numer { $phone }, abyśmy mogli zaproponować ten termin komuś innemu.
appointment_booked-call = Potwierdź wizytę z pacjentem: { $date }, godz. { $time }, { $location }.

# $reference, $date, $time, $location, $address
appointment_cancelled-sms = { $team }: odwołano Twoją wizytę: { $date }, godz. { $time }. Wybierz inny termin: { $portal } lub zadzwoń pod { $phone }. Nr ref. { $reference }.
appointment_cancelled-subject = Odwołano Twoją wizytę: { $date }
appointment_cancelled-body =
    Zgodnie z Twoją prośbą odwołaliśmy wizytę: { $date }, godz. { $time }, { $location }.

    Nadal jesteś na naszej liście oczekujących. Wybierz inny termin i miejsce na stronie { $portal } albo zadzwoń do nas pod numer { $phone }, a zarezerwujemy wizytę razem z Tobą.
appointment_cancelled-call = Powiedz pacjentowi, że wizyta ({ $date }, godz. { $time }) została odwołana, i zaproponuj od razu zarezerwowanie nowej.

# $reference, $date, $time, $location, $address, $expires, $link
slot_offered-sms = { $team }: wcześniejszy termin: { $date }, { $time }, { $location }. Przyjmij do { $expires }: { $link } lub { $phone }. Nr ref. { $reference }
slot_offered-subject = Wcześniejsza wizyta: { $date }, godz. { $time }
slot_offered-body =
    Ktoś odwołał wizytę, więc zwolnił się wcześniejszy termin.

    Kiedy: { $date }, godz. { $time }
    Gdzie: { $location }, { $address }

    Jeśli chcesz go przyjąć, zrób to do { $expires }: zaloguj się na stronie { $link } albo zadzwoń do nas pod numer { $phone }. Zaproponowaliśmy ten termin kilku osobom – otrzyma go ta, która pierwsza go przyjmie. Jeśli termin Ci nie odpowiada, nic nie rób: zachowujesz swoje miejsce na liście oczekujących.
slot_offered-call = Zaproponuj pacjentowi wcześniejszą wizytę: { $date }, godz. { $time }, { $location }. Trzeba ją przyjąć do { $expires }.
slot_gone-sms = { $team }: wcześniejszy termin ({ $date }, godz. { $time }) przyjął już ktoś inny. Zachowujesz swoje miejsce na liście oczekujących. Nr ref. { $reference }.
slot_gone-subject = Wcześniejszy termin jest już zajęty
slot_gone-body =
    Wcześniejszy termin, który Ci zaproponowaliśmy ({ $date }, godz. { $time }), przyjął już ktoś inny.

    Zachowujesz swoje miejsce na liście oczekujących i damy Ci znać, jeśli zwolni się inny termin.
slot_gone-call = Powiedz pacjentowi, że wcześniejszy termin ({ $date }, godz. { $time }) jest już zajęty; pacjent zachowuje swoje miejsce na liście.

# $reference
emergency_advice-sms = { $team }: Twoje odpowiedzi wskazują, że potrzebujesz pomocy medycznej teraz. Jeszcze dziś jedź na SOR (A&E) lub zadzwoń pod 999. Nie czekaj na nas. Nr ref. { $reference }.
emergency_advice-subject = Uzyskaj pomoc medyczną teraz ({ $reference })
emergency_advice-body =
    Niektóre Twoje odpowiedzi (nr ref. { $reference }) mogą świadczyć o poważnym problemie, który trzeba sprawdzić jeszcze dziś.

    Jedź teraz na najbliższy SOR (A&E) lub zadzwoń pod 999. Nie czekaj na wizytę u nas.

    Zabierz ze sobą tę wiadomość lub swój numer referencyjny { $reference }. Specjalista z naszego zespołu również został powiadomiony i sprawdzi Twoje skierowanie.
emergency_advice-call = PILNE: zadzwoń do pacjenta teraz. Odpowiedzi pacjenta (nr ref. { $reference }) zawierają pilny sygnał alarmowy (red flag). Poleć pacjentowi jeszcze dziś pojechać na SOR (A&E) lub zadzwonić pod 999. Odnotuj rozmowę.

# $reference
call_back_today-sms = { $team }: specjalista zadzwoni do Ciebie dziś w sprawie skierowania { $reference }. Jeśli do tego czasu poczujesz się dużo gorzej, dzwoń pod 111, a w nagłym wypadku pod 999.
call_back_today-subject = Zadzwonimy do Ciebie dzisiaj ({ $reference })
call_back_today-body =
    Z niektórych Twoich odpowiedzi (nr ref. { $reference }) wynika, że specjalista powinien porozmawiać z Tobą jeszcze dziś.

    Zadzwonimy do Ciebie dzisiaj. Miej telefon przy sobie. Jeśli nie uda nam się do Ciebie dodzwonić, spróbujemy ponownie.

    Jeśli przed naszym telefonem poczujesz się dużo gorzej, zadzwoń pod 111. W nagłym wypadku dzwoń pod 999.
call_back_today-call = Zadzwoń dziś do pacjenta w sprawie skierowania { $reference }: jedna z odpowiedzi wymaga rozmowy ze specjalistą jeszcze tego samego dnia.

# $reference, $advice
advice_given-sms = { $team }: specjalista ocenił Twoje skierowanie { $reference } i przesłał Ci poradę. Przeczytaj ją: { $portal } lub zadzwoń pod { $phone }.
advice_given-subject = Porada dotycząca Twojego skierowania ({ $reference })
advice_given-body =
    Specjalista ocenił Twoje skierowanie { $reference }.

    Porada specjalisty:
    { $advice }

    Jeśli nie nastąpi poprawa albo objawy się nasilą, możesz w każdej chwili ponownie zgłosić się samodzielnie lub zadzwonić do nas pod numer { $phone }.
advice_given-call = Przeczytaj pacjentowi poradę specjalisty dotyczącą skierowania { $reference }: { $advice }

# $reference, $question
question_from_clinician-sms = { $team }: specjalista ma pytanie dotyczące Twojego skierowania { $reference }. Odpowiedz: { $portal } lub zadzwoń pod { $phone }.
question_from_clinician-subject = Pytanie dotyczące Twojego skierowania ({ $reference })
question_from_clinician-body =
    Specjalista oceniający Twoje skierowanie { $reference } ma do Ciebie pytanie:

    { $question }

    Odpowiedz, logując się na stronie { $portal }, albo zadzwoń do nas pod numer { $phone }. Zajmiemy się dalej Twoim skierowaniem, gdy tylko otrzymamy odpowiedź.
question_from_clinician-call = Zadaj pacjentowi to pytanie dotyczące skierowania { $reference } i zapisz odpowiedź: { $question }

# $reference, $patient, $born, $nhs
referral_acknowledged-sms = { $team }: otrzymaliśmy skierowanie { $reference }.
referral_acknowledged-subject = Otrzymano skierowanie: { $reference }
referral_acknowledged-body =
    Dzień dobry, { $addressee },

    Otrzymaliśmy skierowanie dotyczące pacjenta: { $patient } (data urodzenia: { $born }, numer NHS: { $nhs }). Nasz numer referencyjny to { $reference }.

    Specjalista przeprowadzi triaż skierowania, a my poinformujemy Państwa o wyniku. Jeśli stan pacjenta się zmieni, prosimy o telefon pod numer { $phone } z podaniem numeru referencyjnego { $reference }.
referral_acknowledged-call = Potwierdź osobie kierującej, że skierowanie { $reference } zostało otrzymane.

# $reference, $advice, $patient, $born, $nhs
advice_and_guidance-sms = { $team }: przesłano poradę i zalecenia (advice and guidance) dotyczące skierowania { $reference }.
advice_and_guidance-subject = Porada i zalecenia: { $reference }
advice_and_guidance-body =
    Dzień dobry, { $addressee },

    Specjalista ocenił skierowanie dotyczące pacjenta: { $patient } (data urodzenia: { $born }, numer NHS: { $nhs }), nr ref. { $reference }. Zamiast wizyty u nas zaleca:

    { $advice }

    Poinformowaliśmy pacjenta. Jeśli chcą Państwo to omówić lub stan pacjenta się nie poprawi, prosimy zadzwonić pod numer { $phone } lub ponownie skierować pacjenta.
advice_and_guidance-call = Przekaż osobie kierującej poradę specjalisty dotyczącą skierowania { $reference }: { $advice }

# $reference, $link
emergency_alert-sms = { $team }: pilny sygnał alarmowy (red flag) w skierowaniu { $reference }. Oceń teraz: { $link }
emergency_alert-subject = PILNY sygnał alarmowy (red flag): oceń { $reference } teraz
emergency_alert-body =
    { $addressee },

    Nowe skierowanie { $reference } zawiera pilny sygnał alarmowy (red flag). Tej osobie polecono jechać na SOR (A&E) lub zadzwonić pod 999.

    Oceń je teraz i zadzwoń do tej osoby: { $link }
emergency_alert-call = Poinformuj dyżurnego specjalistę ds. triażu, że skierowanie { $reference } zawiera pilny sygnał alarmowy (red flag).

# $reference, $date, $time, $location, $address
appointment_reminder-sms = { $team }: przypominamy o wizycie: { $date }, godz. { $time }, { $location }. Nie możesz przyjść? Zmień termin: { $portal } lub tel. { $phone }. Nr ref. { $reference }.
appointment_reminder-subject = Przypomnienie o wizycie: { $date }
appointment_reminder-body =
    Przypominamy o Twojej wizycie.

    Kiedy: { $date }, godz. { $time }
    Gdzie: { $location }, { $address }

    Załóż luźne, wygodne ubranie i weź ze sobą listę wszystkich przyjmowanych leków. Jeśli nie możesz przyjść, zmień lub odwołaj wizytę na stronie { $portal } albo zadzwoń do nas pod numer { $phone }, abyśmy mogli zaproponować ten termin komuś innemu.
appointment_reminder-call = Przypomnij pacjentowi o wizycie: { $date }, godz. { $time }, { $location }, i zapytaj, czy nadal może przyjść.

# $reference, $date, $time, $location, $address, $minutes
running_late-sms = { $team }: przepraszamy, przyjęcia są dziś opóźnione o ok. { $minutes } min. Twoja wizyta o godz. { $time } ({ $location }) zacznie się później. Nr ref. { $reference }.
running_late-subject = Twoja dzisiejsza wizyta jest opóźniona
running_late-body =
    Przepraszamy: dzisiejsze przyjęcia są opóźnione o około { $minutes } min.

    Twoja wizyta o godz. { $time } ({ $location }) zacznie się około { $minutes } min później, niż planowano. Jeśli tak jest Ci wygodniej, możesz przyjść o pierwotnie ustalonej godzinie; przyjmiemy Cię najszybciej, jak to możliwe.
running_late-call = Poinformuj pacjenta, że dzisiejsza wizyta o godz. { $time } ({ $location }) jest opóźniona o około { $minutes } min.

# $reference, $date, $time, $location, $address
appointment_missed-sms = { $team }: nie udało nam się spotkać na wizycie ({ $date }, godz. { $time }). Wybierz inny termin: { $portal } lub zadzwoń pod { $phone }. Nr ref. { $reference }.
appointment_missed-subject = Nie udało nam się spotkać: { $date }
appointment_missed-body =
    Nie udało nam się spotkać na Twojej wizycie: { $date }, godz. { $time }, { $location }.

    Mamy nadzieję, że wszystko u Ciebie w porządku. Nadal jesteś na naszej liście: wybierz inny termin na stronie { $portal } albo zadzwoń do nas pod numer { $phone }. Jeśli nie potrzebujesz już naszej pomocy, daj nam znać, abyśmy mogli zaproponować ten czas komuś innemu.
appointment_missed-call = Poinformuj pacjenta o nieobecności na wizycie ({ $date }, godz. { $time }) i zaproponuj zarezerwowanie nowej.

# $reference, $service
discharged_after_missed-sms = { $team }: po więcej niż jednej nieodbytej wizycie zamknęliśmy Twoje skierowanie { $reference }. Nadal potrzebujesz pomocy? Zgłoś się ponownie: { $portal } lub tel. { $phone }.
discharged_after_missed-subject = Twoje skierowanie { $reference } zostało zamknięte
discharged_after_missed-body =
    Nie udało nam się spotkać na więcej niż jednej wizycie w { $service }, dlatego zamknęliśmy Twoje skierowanie { $reference } i poinformowaliśmy Twojego lekarza rodzinnego (GP).

    Jeśli nadal potrzebujesz pomocy, możesz w każdej chwili ponownie zgłosić się samodzielnie na stronie { $portal } albo zadzwonić do nas pod numer { $phone }. Jeśli coś utrudniało Ci przyjście, na przykład godzina, miejsce lub dojazd, powiedz nam o tym, a postaramy się to ułatwić.
discharged_after_missed-call = Poinformuj pacjenta, że skierowanie { $reference } zostało zamknięte po nieodbytych wizytach, zapytaj, czy coś utrudniało przyjście, i zaproponuj nowe skierowanie.

# $reference, $service
follow_up_needed-sms = { $team }: wybierz termin wizyty kontrolnej w { $service }: { $portal } lub zadzwoń pod { $phone }. Nr ref. { $reference }.
follow_up_needed-subject = Wybierz termin wizyty kontrolnej
follow_up_needed-body =
    Twój specjalista w { $service } chce zobaczyć się z Tobą ponownie.

    Wybierz dogodny termin i miejsce na stronie { $portal } albo zadzwoń do nas pod numer { $phone }, a zarezerwujemy wizytę razem z Tobą.
follow_up_needed-call = Zaproponuj pacjentowi zarezerwowanie wizyty kontrolnej w { $service } (nr ref. { $reference }).

# $reference, $service, $until (a date, or "none")
discharged-sms = { $until ->
    [none] { $team }: opieka w { $service } została zakończona. Jeśli problem wróci, zgłoś się ponownie: { $portal } lub zadzwoń pod { $phone }. Nr ref. { $reference }.
   *[other] { $team }: opieka w { $service } zakończona. Jeśli problem wróci przed datą { $until }, umów się bez skierowania: { $portal } lub { $phone }. Nr ref. { $reference }.
}
discharged-subject = Opieka w { $service } została zakończona
discharged-body =
    Opieka w { $service } została zakończona i wypisaliśmy Cię z naszej usługi. Kontynuuj ćwiczenia i stosuj się do porad, które przekazał Ci specjalista.

    { $until ->
        [none] Jeśli problem wróci, możesz w każdej chwili ponownie zgłosić się samodzielnie na stronie { $portal } albo zadzwonić do nas pod numer { $phone }.
       *[other] Jeśli ten sam problem wróci przed datą { $until }, nie potrzebujesz nowego skierowania: od razu umów wizytę na stronie { $portal } albo zadzwoń do nas pod numer { $phone }.
    }
discharged-call = Poinformuj pacjenta, że opieka w { $service } została zakończona (nr ref. { $reference }), i wyjaśnij, jak wrócić, jeśli problem się powtórzy.

# $reference, $service, $min, $max (weeks; $min is "none" when there is no estimate)
wait_update-sms = { $min ->
    [none] { $team }: nadal jesteś na liście oczekujących do { $service } (nr ref. { $reference }). Wybierz termin: { $portal } lub tel. { $phone }. Jeśli będzie gorzej, dzwoń pod 111.
   *[other] { $team }: nadal jesteś na liście oczekujących do { $service } (nr ref. { $reference }). Spodziewamy się przyjąć Cię za ok. { $min }–{ $max } tyg. Jeśli będzie gorzej, dzwoń pod 111.
}
wait_update-subject = Nadal jesteś na naszej liście oczekujących ({ $reference })
wait_update-body =
    Nadal jesteś na liście oczekujących do { $service }. Nie zapomnieliśmy o Tobie.

    { $min ->
        [none] Nie możemy teraz oszacować czasu oczekiwania.
       *[other] Biorąc pod uwagę Twoje miejsce na liście i liczbę osób przyjmowanych przez usługę, spodziewamy się zaproponować Ci wizytę za około { $min }–{ $max } tyg.
    }

    Możesz wybrać termin, gdy tylko któryś Ci odpowiada, na stronie { $portal } albo zadzwonić do nas pod numer { $phone }. Jeśli Twoje objawy bardzo się nasilą, zadzwoń pod 111; w nagłym wypadku dzwoń pod 999.
wait_update-call = Poinformuj pacjenta, że nadal jest na liście oczekujących do { $service } (nr ref. { $reference }), i zaproponuj rezerwację wizyty.

# $reference, $service, $link
still_needed-sms = { $team }: czy nadal potrzebujesz wizyty w { $service } (nr ref. { $reference })? Daj nam znać: { $link } lub zadzwoń pod { $phone }.
still_needed-subject = Czy nadal potrzebujesz wizyty? ({ $reference })
still_needed-body =
    Od jakiegoś czasu jesteś na liście oczekujących do { $service }. Czy nadal potrzebujesz wizyty?

    Daj nam znać na stronie { $link } albo zadzwoń do nas pod numer { $phone }. Jeśli nadal jej potrzebujesz, zachowasz swoje miejsce. Jeśli nie, usuniemy Cię z listy, aby ktoś inny mógł zostać przyjęty wcześniej.

    Jeśli nie otrzymamy od Ciebie odpowiedzi, zadzwonimy do Ciebie, zanim cokolwiek zmienimy.
still_needed-call = Zapytaj pacjenta, czy nadal potrzebuje wizyty w { $service } (nr ref. { $reference }), i zapisz odpowiedź.

## Class names, set after a colon or a dash in the messages below.
class-name-back_class = zajęcia dla osób z bólem pleców
class-name-knee_class = zajęcia dla osób z bólem kolan
class-name-expert_patients = spotkanie programu „Pacjent ekspert”
class-name-peer_support = grupa wsparcia

# $reference, $class (its name, from class-name-<kind>), $date, $time, $location, $address
class_booked-sms = { $team }: masz zarezerwowane miejsce: { $class }, { $date }, godz. { $time }, { $location }. Nie możesz przyjść? Zwolnij miejsce: { $portal }
class_booked-subject = Twoje miejsce: { $class }, { $date }
class_booked-body =
    Masz zarezerwowane miejsce: { $class }.

    Kiedy: { $date }, godz. { $time }
    Gdzie: { $location }, { $address }

    Załóż wygodne ubranie i weź ze sobą butelkę wody. Jeśli nie możesz przyjść, zwolnij miejsce na stronie { $portal } albo zadzwoń do nas pod numer { $phone }, aby mogła je otrzymać osoba z listy oczekujących.
class_booked-call = Poinformuj pacjenta, że ma zarezerwowane miejsce: { $class }, { $date }, godz. { $time }, { $location }.
class_waiting-sms = { $team }: brak wolnych miejsc – { $class }, { $date }. Jesteś na liście oczekujących i damy Ci znać, jeśli zwolni się miejsce.
class_waiting-subject = Jesteś na liście oczekujących: { $class }
class_waiting-body =
    Brak wolnych miejsc: { $class } – { $date }, godz. { $time }, { $location }. Dlatego zapisaliśmy Cię na listę oczekujących.

    Jeśli ktoś zrezygnuje ze swojego miejsca, otrzyma je pierwsza osoba z listy, a my od razu Cię o tym poinformujemy. Możesz też poszukać innych zajęć na stronie { $portal }.
class_waiting-call = Poinformuj pacjenta, że brak wolnych miejsc ({ $class }, { $date }) i że jest na liście oczekujących.

# $reference, $date, $time, $location, $address (the new time), $old_date, $old_time
appointment_changed-sms = { $team }: nowy termin wizyty: { $date }, { $time }, { $location } (był: { $old_date }, { $old_time }). Nr ref. { $reference }. Pytania? Tel. { $phone }.
appointment_changed-subject = Zmiana terminu wizyty: { $date }
appointment_changed-body =
    Termin Twojej wizyty się zmienił.

    Poprzedni termin: { $old_date }, godz. { $old_time }
    Nowy termin: { $date }, godz. { $time }
    Gdzie: { $location }, { $address }

    Jeśli nowy termin Ci nie odpowiada, wybierz inny na stronie { $portal } albo zadzwoń do nas pod numer { $phone }.
appointment_changed-call = Poinformuj pacjenta o zmianie terminu wizyty. Poprzednio: { $old_date }, godz. { $old_time }. Teraz: { $date }, godz. { $time }, { $location }.

# $link (the conversation in the portal). Message content never goes by text or email.
care_team_message-sms = { $team }: masz nową wiadomość od zespołu, który się Tobą opiekuje. Przeczytaj ją: { $link } lub zadzwoń pod { $phone }.
care_team_message-subject = Nowa wiadomość od Twojego zespołu opieki
care_team_message-body =
    Twój zespół opieki przesłał Ci wiadomość.

    Aby chronić Twoją prywatność, nie wysyłamy jej e-mailem. Zaloguj się, aby ją przeczytać i odpowiedzieć: { $link }

    Jeśli nie możesz się zalogować, zadzwoń do nas pod numer { $phone }, a przeczytamy Ci ją.
care_team_message-call = Poinformuj pacjenta, że ma nową wiadomość od zespołu opieki, i zaproponuj, że ją przeczytasz.
measures_due-sms = { $team }: prosimy, powiedz nam, jak się czujesz. Odpowiedz na kilka krótkich pytań: { $link } lub zadzwoń pod { $phone }.
measures_due-subject = Prosimy, powiedz nam, jak się czujesz
measures_due-body =
    Twój zespół opieki chciałby wiedzieć, jak sobie radzisz. Prosimy o odpowiedź na kilka krótkich pytań o ból, codzienne życie i Twój cel. Zajmie to około dwóch minut.

    Odpowiedz tutaj: { $link }

    Jeśli wolisz odpowiedzieć przez telefon, zadzwoń pod numer { $phone }. Twoje odpowiedzi pomagają nam zobaczyć, co Ci pomaga.
measures_due-call = Zadaj pacjentowi pytania o wyniki leczenia (ból, codzienne życie, cel) i wpisz odpowiedzi.

## Wysyłane zamiast szczegółów osobie, która chce je mieć w portalu. $link to skrzynka w portalu.
portal-notice-sms = { $team }: w Twoim portalu jest coś nowego: { $link }. Pytania? Tel. { $phone }.
portal-notice-subject = W Twoim portalu jest coś nowego
portal-notice-body =
    W Twoim portalu jest dla Ciebie coś nowego. Prosiłeś/prosiłaś, by szczegóły były tylko tam, więc ten e-mail ich nie zawiera.

    Zaloguj się, aby przeczytać: { $link }

    Jeśli nie możesz się zalogować, zadzwoń pod numer { $phone }, a przekażemy Ci wiadomość.

## Treść paszportu wysyłana osobie (i podsumowanie wypisu do jej przychodni).
# $reference, $service, $plan, $link
treatment_plan-sms = { $team }: plan leczenia z { $service } jest w Twoim paszporcie: { $link }. Zadzwoń pod { $phone }, jeśli chcesz go dostać pocztą.
treatment_plan-subject = Twój plan leczenia z { $service }
treatment_plan-body =
    Oto plan uzgodniony z Twoim klinicystą w { $service }:

    { $plan }

    Jest też w Twoim paszporcie, razem z ćwiczeniami: { $link }. Jeśli coś jest niejasne, zadzwoń pod { $phone } i podaj numer { $reference }.
treatment_plan-call = Przeczytaj pacjentowi plan leczenia z { $service } (nr { $reference }) i zaproponuj wysłanie go pocztą: { $plan }

# $reference, $service, $summary, $until, $link
discharge_summary-sms = { $team }: podsumowanie wypisu z { $service } jest w Twoim paszporcie: { $link }. Zadzwoń pod { $phone }, jeśli chcesz je pocztą. Nr { $reference }.
discharge_summary-subject = Podsumowanie wypisu z { $service }
discharge_summary-body =
    Twoje leczenie w { $service } zostało zakończone. Oto podsumowanie przygotowane przez Twojego klinicystę; kopię wysłaliśmy do Twojej przychodni:

    { $summary }

    { $until ->
        [none] Jeśli problem wróci, możesz w każdej chwili ponownie zgłosić się na { $portal } lub zadzwonić pod { $phone }.
       *[other] Jeśli ten sam problem wróci przed { $until }, nie potrzebujesz nowego skierowania: umów wizytę od razu na { $portal } lub zadzwoń pod { $phone }.
    }

    Twój paszport przechowuje to podsumowanie razem z resztą leczenia: { $link }
discharge_summary-call = Przeczytaj pacjentowi podsumowanie wypisu z { $service } (nr { $reference }), powiedz, jak wrócić, jeśli problem powróci, i zaproponuj wysłanie pocztą: { $summary }

# $reference, $service, $summary, $until, $patient, $born, $nhs
discharge_summary_gp-sms = { $team }: wysłano podsumowanie wypisu dla skierowania { $reference }.
discharge_summary_gp-subject = Podsumowanie wypisu: { $reference }
discharge_summary_gp-body =
    Dzień dobry, { $addressee },

    Pacjent { $patient } (data urodzenia: { $born }, numer NHS: { $nhs }) został wypisany z { $service }, nr ref. { $reference }. Podsumowanie klinicysty:

    { $summary }

    { $until ->
        [none] Pacjenta można ponownie skierować, jeśli problem wróci.
       *[other] Do { $until } pacjent może umówić się ponownie bez nowego skierowania.
    }

    W razie pytań prosimy o telefon pod numer { $phone } z podaniem { $reference }.
discharge_summary_gp-call = Przekaż przychodni podsumowanie wypisu dla skierowania { $reference }: { $summary }

## Opinie: pytanie testu Friends and Family, przez link.
# $reference, $service, $link
feedback_request-sms = { $team }: jak ogólnie oceniasz nasze usługi? Powiedz nam w minutę: { $link }
feedback_request-subject = Jak oceniasz { $service }?
feedback_request-body =
    Jak ogólnie oceniasz swoje doświadczenia z naszymi usługami?

    Powiedz nam w około minutę, co było dobre, a co można poprawić: { $link }

    Czytamy każdą odpowiedź i publikujemy, co dzięki nim zmieniamy. Jeśli wolisz powiedzieć nam przez telefon albo coś poszło nie tak i chcesz, abyśmy to wyjaśnili, zadzwoń pod { $phone }.
feedback_request-call = Zapytaj pacjenta: „Jak ogólnie oceniasz swoje doświadczenia z naszymi usługami?” (bardzo dobrze, dobrze, ani dobrze, ani źle, źle, bardzo źle, nie wiem), a potem co było dobre lub co można poprawić, i wpisz odpowiedź.
