package io.bulkreg.device;

import java.sql.ResultSet;
import java.sql.SQLException;


/** A device_registration row on its way to the platform. {@code source} is "file:line" for imported rows. */
public record DeviceRow(long id, String lotId, String prodId, String name, boolean isTest, String serial,
        String description, String source) {

    /** The columns {@link #fromRow} reads, in its order. */
    public static final String COLUMNS = "id, lot_id, prod_id, name, is_test, serial, description, source";

    public static DeviceRow fromRow(ResultSet rs, int rowNum) throws SQLException {
        return new DeviceRow(rs.getLong("id"), rs.getString("lot_id"), rs.getString("prod_id"), rs.getString("name"),
                rs.getBoolean("is_test"), rs.getString("serial"), rs.getString("description"), rs.getString("source"));
    }
}
