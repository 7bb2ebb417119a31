## Calendar names, shared by pages and messages.
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# $weekday, $day, $month, $year
date-long = { $weekday } { $day } { $month } { $year }
# $day, $month, $year
date-medium = { $day } { $month } { $year }
# $hour12 (1-12), $hour24 (00-23), $minute (two digits), $minutes (number), $period (am or pm)
time = { $minutes ->
    [0] { $hour12 }{ $period }
   *[other] { $hour12 }:{ $minute }{ $period }
}
time-am = am
time-pm = pm
