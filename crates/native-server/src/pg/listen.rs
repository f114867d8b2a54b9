//! The LISTEN connection: one per server, outside the pool, forwarding what other servers (and
//! this one) announce to the local [`Changes`]. When the connection breaks it is made again
//! after a pause, and [`Change::All`] is published, since whatever was announced meanwhile was
//! missed: waiters look again and the key ring is reloaded.

use std::future::poll_fn;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls, Notification};

use super::{KEYS_CHANNEL, SESSIONS_CHANNEL};
use crate::changes::{Change, Changes};

/// The pause before listening again after the connection broke or could not be made.
const RECONNECT: Duration = Duration::from_secs(1);

/// Listens until the runtime stops.
pub async fn run(config: tokio_postgres::Config, changes: Arc<Changes>) {
    loop {
        if let Err(e) = listen(&config, &changes).await {
            tracing::warn!(error = %e, "the PostgreSQL LISTEN connection failed; retrying");
        }
        changes.publish(Change::All);
        tokio::time::sleep(RECONNECT).await;
    }
}

/// One LISTEN connection, until it ends.
async fn listen(
    config: &tokio_postgres::Config,
    changes: &Changes,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (heard, mut notifications) = mpsc::unbounded_channel::<Notification>();
    // The connection must be polled for the LISTEN below to be sent, so it runs beside it.
    let driver = tokio::spawn(async move {
        while let Some(message) = poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if heard.send(n).is_err() {
                        return Ok(());
                    }
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    client
        .batch_execute(&format!("LISTEN {SESSIONS_CHANNEL}; LISTEN {KEYS_CHANNEL}"))
        .await?;
    // Listening from now on; what came before was not heard.
    changes.publish(Change::All);
    while let Some(n) = notifications.recv().await {
        match n.channel() {
            SESSIONS_CHANNEL => {
                for sid in n.payload().split(',').filter(|s| !s.is_empty()) {
                    changes.publish(Change::Session(sid.into()));
                }
            }
            KEYS_CHANNEL => changes.publish(Change::Keys),
            _ => {}
        }
    }
    drop(client);
    match driver.await {
        Ok(ended) => ended,
        Err(_) => Ok(()),
    }
}
