//! ZPL labels for the warehouse's thermal printers.

use shipping_rates::{Carrier, Parcel};
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

/// Zebra printers accept raw ZPL on this port.
pub const RAW_PORT: u16 = 9100;

pub fn zpl(order_ref: &str, parcel: &Parcel) -> String {
    format!("^XA^FO50,50^A0N,40,40^FD{order_ref}^FS^FO50,110^A0N,30,30^FD{} g^FS^XZ", parcel.weight_grams)
}

/// A label with the carrier's name printed under the weight.
pub fn zpl_for(order_ref: &str, parcel: &Parcel, carrier: Carrier) -> String {
    let name = match carrier {
        Carrier::Dhl => "DHL Paket",
        Carrier::Dpd => "DPD Classic",
        Carrier::Ups => "UPS Standard",
    };
    zpl(order_ref, parcel).replace("^XZ", &format!("^FO50,160^A0N,30,30^FD{name}^FS^XZ"))
}

/// Sends a label to the printer at `host` (e.g. `zebra-07.lej.acme.internal`).
pub fn print(host: &str, label: &str) -> std::io::Result<()> {
    let mut stream = TcpStream::connect((host, RAW_PORT))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(label.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_complete_zpl_documents() {
        let label = zpl_for("ORD-1042", &Parcel { weight_grams: 1_300 }, Carrier::Dpd);
        assert!(label.starts_with("^XA") && label.ends_with("^XZ"));
        assert!(label.contains("^FD1300 g^FS"));
        assert!(label.contains("DPD Classic"));
    }
}
