//! The SMTP channel against an SMTP server on loopback (the `mailin` protocol engine behind a
//! socket): emails arrive with
//! their subject, UTF-8 body and the outbox id as `Message-ID`; a refused mailbox is permanent,
//! an unreachable relay temporary; text messages and bad settings are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jointly_domain::MessageId;
use jointly_domain::contact::{ContactChannel, EmailAddress, PhoneNumber};
use jointly_domain::message::MessageTemplate;
use jointly_notify::{
    Channel, DeliveryError, Recipient, RenderedMessage, SmtpChannel, SmtpConfigError, SmtpSettings,
};
use mailin::{Action, Handler, Response, SessionBuilder, response};

/// One email the server accepted.
#[derive(Clone, Debug)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

/// Keeps what each connection receives; refuses the mailbox `nobody@`.
#[derive(Clone, Default)]
struct Mailbox {
    received: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Mailbox {
    fn rcpt(&mut self, to: &str) -> Response {
        if to.starts_with("nobody@") {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            from: from.to_owned(),
            to: to.to_vec(),
            data: String::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(done) = self.current.take() {
            self.received.lock().unwrap().push(done);
        }
        response::OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }
}

/// Starts the server on a free loopback port; it lives as long as the test process.
fn smtp_server() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mailbox = Mailbox::default();
    let received = mailbox.received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mailbox = mailbox.clone();
            std::thread::spawn(move || serve(stream, mailbox));
        }
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}

/// One SMTP session: a line in, the protocol engine's answer out.
fn serve(stream: TcpStream, mailbox: Mailbox) -> std::io::Result<()> {
    let peer = stream.peer_addr()?.ip();
    let mut session = SessionBuilder::new("mail.test").build(peer, mailbox);
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    session.greeting().write_to(&mut out)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let answer = session.process(&line);
        match answer.action {
            Action::NoReply => {}
            Action::Close => {
                answer.write_to(&mut out)?;
                return out.flush();
            }
            Action::Reply | Action::UpgradeTls => answer.write_to(&mut out)?,
        }
        out.flush()?;
    }
}

fn settings(url: &str) -> SmtpSettings {
    SmtpSettings {
        url: url.into(),
        from: "Jointly MSK <msk.jointly@nhs.test>".into(),
        timeout: Duration::from_secs(5),
    }
}

fn email(to: &str) -> RenderedMessage {
    RenderedMessage {
        id: MessageId::new(),
        template: MessageTemplate::AppointmentReminder,
        channel: ContactChannel::Email,
        to: Recipient::Email(EmailAddress::parse(to).unwrap()),
        subject: Some("Przypomnienie o wizycie".into()),
        body: "Wizyta we wtorek o 9:00. Zadzwoń: 0300 123 4567.".into(),
        locale: jointly_i18n::Locale::English,
        inbox: None,
        letter: None,
    }
}

#[tokio::test]
async fn an_email_reaches_the_relay_with_its_subject_body_and_message_id() {
    let (url, received) = smtp_server();
    let channel = SmtpChannel::new(&settings(&url)).unwrap();
    let message = email("amelia.khan@example.test");
    let delivery = channel.deliver(&message).await.unwrap();
    assert_eq!(delivery.provider_reference, format!("smtp:{}", message.id));

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.from, "msk.jointly@nhs.test");
    assert_eq!(mail.to, ["amelia.khan@example.test"]);
    assert!(
        mail.data
            .contains(&format!("Message-ID: <{}@nhs.test>", message.id)),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("Subject: "), "{}", mail.data);
    assert!(
        mail.data
            .contains("Content-Type: text/plain; charset=utf-8")
    );
    // The Polish body survives whatever transfer encoding lettre chose.
    let body = mail.data.split("\r\n\r\n").nth(1).unwrap_or_default();
    let decoded = if mail.data.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine as _;
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap(),
        )
        .unwrap()
    } else if mail
        .data
        .contains("Content-Transfer-Encoding: quoted-printable")
    {
        quoted_printable_decode(body)
    } else {
        body.to_owned()
    };
    assert!(decoded.contains("Zadzwoń: 0300 123 4567"), "{decoded}");
}

/// Enough of RFC 2045's quoted-printable to read a test body.
fn quoted_printable_decode(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let mut bytes = Vec::new();
    let raw = joined.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn a_refused_mailbox_is_permanent_and_an_unreachable_relay_temporary() {
    let (url, received) = smtp_server();
    let channel = SmtpChannel::new(&settings(&url)).unwrap();
    let refused = channel.deliver(&email("nobody@example.test")).await;
    assert!(
        matches!(&refused, Err(DeliveryError::Permanent(code)) if code.contains("550")),
        "{refused:?}"
    );
    assert!(received.lock().unwrap().is_empty());

    // A port nothing listens on: the relay is down, so try again later.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let down = SmtpChannel::new(&settings(&format!("smtp://127.0.0.1:{port}"))).unwrap();
    let result = down.deliver(&email("amelia.khan@example.test")).await;
    assert!(
        matches!(result, Err(DeliveryError::Temporary(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn text_messages_and_bad_settings_are_refused() {
    let (url, _) = smtp_server();
    let channel = SmtpChannel::new(&settings(&url)).unwrap();
    let mut sms = email("amelia.khan@example.test");
    sms.to = Recipient::Mobile(PhoneNumber::parse("07700 900123").unwrap());
    assert!(matches!(
        channel.deliver(&sms).await,
        Err(DeliveryError::Permanent(_))
    ));

    assert_eq!(
        SmtpChannel::new(&settings("gopher://mail.test")).err(),
        Some(SmtpConfigError::BadUrl)
    );
    let mut bad_from = settings(&url);
    bad_from.from = "not an address".into();
    assert!(matches!(
        SmtpChannel::new(&bad_from),
        Err(SmtpConfigError::BadFrom(_))
    ));
}
