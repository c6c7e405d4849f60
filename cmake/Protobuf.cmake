# protoc + grpc_cpp_plugin code generation for the OTLP messages we define in src/telemetry/otlp/proto.
find_package(Protobuf REQUIRED)
find_program(LATENCYLAB_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

# latencylab_generate_proto(<target> PROTO_ROOT <dir> PROTOS <files...>)
# Adds generated .pb.cc/.grpc.pb.cc to <target> and exposes the output folder as an include dir.
function(latencylab_generate_proto target)
  cmake_parse_arguments(ARG "" "PROTO_ROOT" "PROTOS" ${ARGN})
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/generated")
  file(MAKE_DIRECTORY "${out_dir}")
  foreach(proto IN LISTS ARG_PROTOS)
    file(RELATIVE_PATH rel "${ARG_PROTO_ROOT}" "${proto}")
    string(REGEX REPLACE "\\.proto$" "" stem "${rel}")
    set(outputs "${out_dir}/${stem}.pb.cc" "${out_dir}/${stem}.pb.h"
                "${out_dir}/${stem}.grpc.pb.cc" "${out_dir}/${stem}.grpc.pb.h")
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc
        --proto_path=${ARG_PROTO_ROOT}
        --cpp_out=${out_dir}
        --grpc_out=${out_dir}
        --plugin=protoc-gen-grpc=${LATENCYLAB_GRPC_CPP_PLUGIN}
        ${proto}
      DEPENDS ${proto}
      COMMENT "protoc ${rel}"
      VERBATIM)
    target_sources(${target} PRIVATE "${out_dir}/${stem}.pb.cc" "${out_dir}/${stem}.grpc.pb.cc")
  endforeach()
  target_include_directories(${target} SYSTEM PUBLIC "${out_dir}")
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf gRPC::grpc++)
endfunction()
