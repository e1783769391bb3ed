//! ZPL labels for the warehouse's thermal printers.

use shipping_rates::Parcel;

pub fn zpl(order_ref: &str, parcel: &Parcel) -> String {
    format!("^XA^FO50,50^A0N,40,40^FD{order_ref}^FS^FO50,110^A0N,30,30^FD{} g^FS^XZ", parcel.weight_grams)
}
