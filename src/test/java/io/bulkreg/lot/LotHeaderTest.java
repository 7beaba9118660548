package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A lot file column under another name must not be ignored as a column bulkreg does not use. */
class LotHeaderTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "SerialNumber|serial", "serial_no|serial", "Serial Number|serial", "S/N|serial", "SN|serial",
            "Seriennummer|serial", "numéro de série|serial", "Ser.-Nr.|serial", "Serien-Nr|serial",
            "lot_id|lot", "LotID|lot", "Lot No|lot", "Losnummer|lot",
            "desc|description", "Beschreibung|description", "product description|description"})
    void givenAnOptionalLotColumnUnderAnotherName_whenParsedIgnoringUnknownColumns_thenTheFileIsRefusedAskingDidYouMean(
            String cell, String meant) {
        List<String> header = List.of("prodId", "name", "isTest", cell);

        assertThatThrownBy(() -> LotHeader.parse(header, UnknownColumns.IGNORE))
                .isInstanceOf(LotHeader.Invalid.class)
                .hasMessageContaining("'" + cell + "'")
                .hasMessageContaining("did you mean '" + meant + "'?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"batchNo", "batch", "Charge", "colour", "pilot run", "operator"})
    void givenAColumnThatIsNoLotColumn_whenParsedIgnoringUnknownColumns_thenItIsIgnored(String cell) throws Exception {
        LotHeader header = LotHeader.parse(List.of("prodId", "name", "isTest", cell), UnknownColumns.IGNORE);

        assertThat(header.ignored()).containsExactly(cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SerialNumber", "lot_id", "desc"})
    void givenTheLotColumnItselfIsPresent_whenASynonymIsThereToo_thenTheSynonymIsIgnored(String cell) throws Exception {
        LotHeader header = LotHeader.parse(List.of("lot", "prodId", "name", "isTest", "serial", "description", cell),
                UnknownColumns.IGNORE);

        assertThat(header.ignored()).containsExactly(cell);
    }
}
