package io.orderflow.local.bench;

import io.apicurio.registry.resolver.ParsedSchema;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.resolver.strategy.ArtifactReferenceResolverStrategy;
import io.apicurio.registry.rest.client.RegistryClient;
import org.apache.avro.Schema;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for a schema registry server, which cannot run on these machines, so that the benchmarks can run
 * Apicurio's real {@code AvroConverter} — the binary converter a production pipeline would use instead of
 * JSON. Schemas are registered in this JVM: the source's converter and the sink's converter share them
 * because the embedded worker runs both here. Everything a registry converter does per record (ID framing,
 * Avro binary encoding and decoding, Connect ⇄ Avro conversion, an ID lookup in a map) is Apicurio's own code;
 * only the first lookup of an ID, which a real resolver caches, skips its HTTP call.
 *
 * <p>Configure with {@code apicurio.registry.schema-resolver=io.orderflow.local.bench.InProcessSchemaResolver}
 * and {@code apicurio.registry.headers.enabled=false} (the ID then travels in the value, as with Confluent's).
 */
public final class InProcessSchemaResolver implements SchemaResolver<Schema, Object> {

    private static final Map<Schema, SchemaLookupResult<Schema>> BY_SCHEMA = new ConcurrentHashMap<>();
    private static final Map<Long, SchemaLookupResult<Schema>> BY_ID = new ConcurrentHashMap<>();

    private SchemaParser<Schema, Object> parser;

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<Schema, Object> schemaParser) {
        this.parser = schemaParser;
    }

    @Override
    public void setClient(RegistryClient client) {
        // no registry server: schemas live in this JVM
    }

    @Override
    public void setArtifactResolverStrategy(ArtifactReferenceResolverStrategy<Schema, Object> strategy) {
        // one artifact per distinct schema; the topic plays no part
    }

    @Override
    public SchemaParser<Schema, Object> getSchemaParser() {
        return parser;
    }

    @Override
    public SchemaLookupResult<Schema> resolveSchema(Record<Object> data) {
        ParsedSchema<Schema> parsed = parser.getSchemaFromData(data);
        return BY_SCHEMA.computeIfAbsent(parsed.getParsedSchema(), schema -> register(parsed));
    }

    private static synchronized SchemaLookupResult<Schema> register(ParsedSchema<Schema> parsed) {
        long id = BY_ID.size() + 1L;
        SchemaLookupResult<Schema> result = SchemaLookupResult.<Schema>builder()
                .parsedSchema(parsed).globalId(id).contentId(id)
                .groupId("default").artifactId(parsed.getParsedSchema().getFullName()).version("1")
                .build();
        BY_ID.put(id, result);
        return result;
    }

    @Override
    public SchemaLookupResult<Schema> resolveSchemaByArtifactReference(ArtifactReference reference) {
        SchemaLookupResult<Schema> result = BY_ID.get(reference.getGlobalId());
        if (result == null) {
            throw new IllegalStateException("No schema registered in this JVM under global id " + reference.getGlobalId());
        }
        return result;
    }

    @Override
    public void reset() {
        // registered schemas stay: records already written refer to them
    }

    @Override
    public void close() {
        // nothing held
    }

    /** The converter options that select this resolver, under a worker or connector converter prefix. */
    public static Map<String, String> converterOptions(String prefix) {
        return Map.of(prefix, "io.apicurio.registry.utils.converter.AvroConverter",
                prefix + ".apicurio.registry.schema-resolver", InProcessSchemaResolver.class.getName(),
                prefix + ".apicurio.registry.headers.enabled", "false");
    }
}
