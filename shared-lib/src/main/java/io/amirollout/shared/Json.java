package io.amirollout.shared;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper every function uses, configured explicitly so that behaviour does not
 * depend on Jackson's defaults: unknown fields are ignored (AWS adds fields to its events without
 * notice), nulls are left out of what we write, and no Jackson module is registered (each one
 * costs cold-start time; times travel as ISO-8601 strings).
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** Reads a whole event; malformed JSON or an empty stream is an {@link InvalidEventException}. */
    public static JsonNode readTree(InputStream input) {
        try {
            JsonNode node = MAPPER.readTree(input);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new InvalidEventException("the event is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("the event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readTree(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new InvalidEventException("the JSON document is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Binds a tree to a value type; a shape mismatch is an {@link InvalidEventException} naming the type. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("cannot read " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static void write(OutputStream output, Object value) {
        try {
            output.write(MAPPER.writeValueAsBytes(value));
            output.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text of a field, or null when absent, null or blank; surrounding spaces removed. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    /** Text of a required field, or an {@link InvalidEventException} naming where it was expected. */
    public static String requiredText(JsonNode node, String field, String where) {
        String text = text(node, field);
        if (text == null) {
            throw new InvalidEventException(where + " has no '" + field + "'");
        }
        return text;
    }
}
